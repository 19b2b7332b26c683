import type { Kysely, Selectable } from 'kysely';
import type { AppPasswordRecord, AppPasswordRepo, ClientProtocol } from '../core/appPasswords.ts';
import type { AppPasswordsTable } from './appPasswordTables.ts';
import type { Database } from './schema.ts';
import './appPasswordTables.ts';

const toRecord = (r: Selectable<AppPasswordsTable>): AppPasswordRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  scopes: r.scopes.split(',') as ClientProtocol[],
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
  lastUsedProtocol: r.last_used_protocol as ClientProtocol | null,
  lastUsedIp: r.last_used_ip,
  expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
  networks: list(r.networks),
  seenNetworks: list(r.seen_networks),
});

const list = (text: string): string[] => (text ? text.split(',') : []);

const columns = ['id', 'account_id', 'name', 'scopes', 'created_at', 'last_used_at', 'last_used_protocol', 'last_used_ip', 'expires_at', 'networks', 'seen_networks'] as const;

export function appPasswordRepo(db: Kysely<Database>): AppPasswordRepo {
  return {
    async insert(r, lookupHash) {
      await db
        .insertInto('app_passwords')
        .values({
          id: r.id,
          account_id: r.accountId,
          name: r.name,
          lookup_hash: lookupHash,
          scopes: r.scopes.join(','),
          created_at: r.createdAt.getTime(),
          expires_at: r.expiresAt?.getTime() ?? null,
          networks: r.networks.join(','),
          seen_networks: r.seenNetworks.join(','),
        })
        .execute();
    },
    async list(accountId) {
      const rows = await db.selectFrom('app_passwords').select(columns).where('account_id', '=', accountId).orderBy('created_at', 'desc').execute();
      return rows.map((r) => toRecord({ ...r, lookup_hash: '' }));
    },
    async count(accountId) {
      const r = await db.selectFrom('app_passwords').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async findByHash(lookupHash) {
      const r = await db.selectFrom('app_passwords').select(columns).where('lookup_hash', '=', lookupHash).executeTakeFirst();
      return r && toRecord({ ...r, lookup_hash: '' });
    },
    async findById(id) {
      const r = await db.selectFrom('app_passwords').select(columns).where('id', '=', id).executeTakeFirst();
      return r && toRecord({ ...r, lookup_hash: '' });
    },
    async swapSeenNetworks(id, expected, next) {
      const r = await db.updateTable('app_passwords').set({ seen_networks: next.join(',') }).where('id', '=', id).where('seen_networks', '=', expected.join(',')).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async remove(accountId, id) {
      const r = await db.deleteFrom('app_passwords').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async removeAll(accountId) {
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('app_passwords').select('id').where('account_id', '=', accountId).execute();
        await trx.deleteFrom('app_passwords').where('account_id', '=', accountId).execute();
        return rows.map((r) => r.id);
      });
    },
    async recordUses(uses) {
      await db.transaction().execute(async (trx) => {
        for (const u of uses) {
          await trx
            .updateTable('app_passwords')
            .set({ last_used_at: u.at.getTime(), last_used_protocol: u.protocol, last_used_ip: u.ip })
            .where('id', '=', u.id)
            // Nodes flush their batches in any order: an older use never overwrites a newer one.
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', u.at.getTime())]))
            .execute();
        }
      });
    },
  };
}
