import type { Generated } from 'kysely';

export interface DomainsTable {
  name: string;
  created_at: number;
}

export interface AccountsTable {
  id: string;
  address: string;
  domain: string;
  display_name: string;
  password_hash: string;
  is_admin: Generated<number>;
  disabled: Generated<number>;
  quota_bytes: number;
  language: Generated<string>;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  last_login_ip: string | null;
}

declare module './schema.ts' {
  interface Database {
    domains: DomainsTable;
    accounts: AccountsTable;
  }
}
