import type { Kysely, Selectable } from 'kysely';
import type { AliasRecord, AliasRepo } from '../core/adminPorts.ts';
import type { AliasesTable } from './adminTables.ts';
import type { Database } from './schema.ts';
import './adminTables.ts';

const toAlias = (r: Selectable<AliasesTable>): AliasRecord => ({ address: r.address, domain: r.domain, accountId: r.account_id, createdAt: new Date(r.created_at) });

export function aliasRepo(db: Kysely<Database>): AliasRepo {
  return {
    async insert(a) {
      const r = await db
        .insertInto('aliases')
        .values({ address: a.address, domain: a.domain, account_id: a.accountId, created_at: a.createdAt.getTime() })
        .onConflict((oc) => oc.column('address').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async find(address) {
      const r = await db.selectFrom('aliases').selectAll().where('address', '=', address.toLowerCase()).executeTakeFirst();
      return r && toAlias(r);
    },
    async list(accountId) {
      return (await db.selectFrom('aliases').selectAll().where('account_id', '=', accountId).orderBy('address').execute()).map(toAlias);
    },
    async remove(address) {
      const r = await db.deleteFrom('aliases').where('address', '=', address).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async countInDomain(domain) {
      const r = await db.selectFrom('aliases').select((eb) => eb.fn.countAll<number>().as('n')).where('domain', '=', domain).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
