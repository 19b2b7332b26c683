/** A WeChat QR challenge as the phone and the mini-program see it (who asks, from where). */
export interface WechatRequestsTable {
  challenge_id: string;
  account_id: string;
  factor_id: string;
  purpose: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  expires_at: number;
  status: 'pending' | 'approved' | 'denied';
}

/** Which WeChat user (keyed hash of its id) a WeChat factor belongs to: the mini-program's lookup. */
export interface WechatLinksTable {
  factor_id: string;
  account_id: string;
  user_key: string;
  created_at: number;
}

declare module './schema.ts' {
  interface Database {
    wechat_requests: WechatRequestsTable;
    wechat_links: WechatLinksTable;
  }
}
