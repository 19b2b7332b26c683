export interface WebSessionsTable {
  /** SHA-256 of the cookie value: a stolen database holds no usable session ids. */
  id_hash: string;
  /** A separate random id shown on the devices page and used to sign one session out. */
  handle: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  ip: string;
  user_agent: string;
  prev_login_at: number | null;
  prev_login_ip: string | null;
  /** When the session last passed a step-up (sudo mode, SPEC X9). */
  step_up_at: number | null;
}

declare module './schema.ts' {
  interface Database {
    web_sessions: WebSessionsTable;
  }
}
