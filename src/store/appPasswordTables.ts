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
  expires_at: number | null;
  /** Comma-separated CIDR blocks; empty: anywhere. */
  networks: string;
  /** Comma-separated networks the password was used from. */
  seen_networks: string;
}

declare module './schema.ts' {
  interface Database {
    app_passwords: AppPasswordsTable;
  }
}
