import type { Kysely, Selectable } from 'kysely';
import type { TrustedDeviceRecord, TrustedDeviceRepo } from '../core/ports.ts';
import type { Database } from './schema.ts';
import type { TrustedDevicesTable } from './twoFactorTables.ts';
import './twoFactorTables.ts';

const toRecord = (r: Selectable<TrustedDevicesTable>): TrustedDeviceRecord => ({
  id: r.id,
  accountId: r.account_id,
  tokenHash: r.token_hash,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  lastUsedAt: new Date(r.last_used_at),
  ip: r.ip,
  userAgent: r.user_agent,
});

export function trustedDeviceRepo(db: Kysely<Database>): TrustedDeviceRepo {
  return {
    async insert(d) {
      await db
        .insertInto('trusted_devices')
        .values({
          id: d.id,
          account_id: d.accountId,
          token_hash: d.tokenHash,
          created_at: d.createdAt.getTime(),
          expires_at: d.expiresAt.getTime(),
          last_used_at: d.lastUsedAt.getTime(),
          ip: d.ip,
          user_agent: d.userAgent,
        })
        .execute();
    },
    async findByTokenHash(tokenHash) {
      const r = await db.selectFrom('trusted_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && toRecord(r);
    },
    async list(accountId, now) {
      const rows = await db
        .selectFrom('trusted_devices')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('expires_at', '>', now.getTime())
        .orderBy('last_used_at', 'desc')
        .execute();
      return rows.map(toRecord);
    },
    async touch(id, now) {
      await db.updateTable('trusted_devices').set({ last_used_at: now.getTime() }).where('id', '=', id).execute();
    },
    async remove(accountId, id) {
      const r = await db.deleteFrom('trusted_devices').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async removeAll(accountId) {
      const r = await db.deleteFrom('trusted_devices').where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
