/** A WeChat user as one of our apps sees it: `userId` is the same for the website QR and the mini-program. */
export interface WechatIdentity {
  userId: string;
  openid: string;
}

/** What the page shows for a challenge: a QR of a URL for the phone (a path is of our own site), or WeChat's own QR page in a frame. */
export type WechatQr = { scanUrl: string } | { frameUrl: string };

/** WeChat as Postern uses it (SPEC B3, C4, D3, D4): the official Open Platform or the development emulator. */
export interface WechatProvider {
  readonly name: 'official' | 'emulator';
  qrFor(challengeId: string): WechatQr;
  /** The scanner, from the code WeChat handed to our redirect URI after the phone authorised. */
  scanner(code: string): Promise<WechatIdentity>;
  /** The mini-program "邮箱安全助手" user, from its `wx.login` code. */
  miniUser(code: string): Promise<WechatIdentity>;
}

/** A WeChat QR challenge as the phone and the mini-program show it: who asks, for what, from where. */
export interface WechatRequest {
  challengeId: string;
  accountId: string;
  factorId: string;
  purpose: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  expiresAt: Date;
  status: 'pending' | 'approved' | 'denied';
}

/** What WeChat keeps besides the factor: open requests, and which WeChat user each factor belongs to. */
export interface WechatStore {
  insertRequest(r: WechatRequest): Promise<void>;
  getRequest(challengeId: string): Promise<WechatRequest | undefined>;
  /** Records the phone's answer once, while the request is pending and unexpired. */
  decide(challengeId: string, status: 'approved' | 'denied', now: Date): Promise<boolean>;
  /** Requests still waiting for an answer on these factors, newest first. */
  pendingFor(factorIds: string[], now: Date): Promise<WechatRequest[]>;
  link(factorId: string, accountId: string, userKey: string, now: Date): Promise<void>;
  userKeyOf(factorId: string): Promise<string | undefined>;
  /** The bound WeChat factors of a WeChat user. */
  boundTo(userKey: string): Promise<{ factorId: string; accountId: string }[]>;
}
