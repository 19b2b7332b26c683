import { PosternError } from '../../core/errors.ts';

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

export const wechatFailure = (reason: string): PosternError => new PosternError('wechat_failed', { reason });
