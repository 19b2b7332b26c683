import type { Kysely } from 'kysely';
import type { DkimKeyRepo } from '../core/dkimKeys.ts';
import type { Database } from './schema.ts';
import './dkimKeyTables.ts';

export function dkimKeyRepo(db: Kysely<Database>): DkimKeyRepo {
  return {
    async insertAll(keys) {
      await db.transaction().execute(async (tx) => {
        for (const k of keys) {
          await tx
            .insertInto('dkim_keys')
            .values({ domain: k.domain, selector: k.selector, algorithm: k.algorithm, public_key: k.publicKey, sealed_private_key: k.sealedPrivateKey, created_at: k.createdAt.getTime() })
            .execute();
        }
      });
    },
    async list(domain) {
      const rows = await db.selectFrom('dkim_keys').selectAll().where('domain', '=', domain).orderBy('algorithm').execute();
      return rows.map((r) => ({ domain: r.domain, selector: r.selector, algorithm: r.algorithm, publicKey: r.public_key, sealedPrivateKey: r.sealed_private_key, createdAt: new Date(r.created_at) }));
    },
  };
}
