export interface AppPasswordsTable {
  id: string;
  account_id: string;
  name: string;
  lookup_hash: string;
  /** Comma-separated protocols: `imap,pop3,smtp`. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  last_used_protocol: string | null;
  last_used_ip: string | null;
}

declare module './schema.ts' {
  interface Database {
    app_passwords: AppPasswordsTable;
  }
}
