/** A domain's DKIM signing keys: the public half as published in DNS, the private half sealed. */
export interface DkimKeysTable {
  domain: string;
  selector: string;
  algorithm: 'ed25519' | 'rsa';
  public_key: string;
  sealed_private_key: string;
  created_at: number;
}

declare module './schema.ts' {
  interface Database {
    dkim_keys: DkimKeysTable;
  }
}
