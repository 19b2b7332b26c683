import type { Kysely } from 'kysely';
import type { RevocationLog } from '../core/revocation.ts';
import type { Database } from './schema.ts';

interface CredentialRevocationsTable {
  id: string;
  at: number;
  /** JSON of the CredentialsRevoked event. */
  event: string;
}

declare module './schema.ts' {
  interface Database {
    credential_revocations: CredentialRevocationsTable;
  }
}

export function revocationLog(db: Kysely<Database>): RevocationLog {
  return {
    async add(id, at, event) {
      await db.insertInto('credential_revocations').values({ id, at: at.getTime(), event: JSON.stringify(event) }).execute();
    },
    async since(since) {
      const rows = await db.selectFrom('credential_revocations').selectAll().where('at', '>=', since.getTime()).orderBy('at').execute();
      return rows.map((r) => ({ id: r.id, at: new Date(Number(r.at)), event: JSON.parse(r.event) as unknown }));
    },
    async prune(before) {
      await db.deleteFrom('credential_revocations').where('at', '<', before.getTime()).execute();
    },
  };
}
