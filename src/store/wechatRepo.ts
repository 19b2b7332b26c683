import type { Kysely, Selectable } from 'kysely';
import type { WechatRequest, WechatStore } from '../core/wechatPorts.ts';
import type { Database } from './schema.ts';
import type { WechatRequestsTable } from './wechatTables.ts';
import './wechatTables.ts';
import './twoFactorTables.ts';

const toRequest = (r: Selectable<WechatRequestsTable>): WechatRequest => ({
  challengeId: r.challenge_id,
  accountId: r.account_id,
  factorId: r.factor_id,
  purpose: r.purpose,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  status: r.status,
});

// Requests stay a day after expiry, long enough for the phone to say "expired" rather than "unknown".
const keepMs = 24 * 60 * 60_000;

export function wechatRepo(db: Kysely<Database>): WechatStore {
  return {
    async insertRequest(r) {
      await db.deleteFrom('wechat_requests').where('expires_at', '<', r.createdAt.getTime() - keepMs).execute();
      await db
        .insertInto('wechat_requests')
        .values({
          challenge_id: r.challengeId,
          account_id: r.accountId,
          factor_id: r.factorId,
          purpose: r.purpose,
          ip: r.ip,
          user_agent: r.userAgent,
          created_at: r.createdAt.getTime(),
          expires_at: r.expiresAt.getTime(),
          status: r.status,
        })
        .execute();
    },
    async getRequest(challengeId) {
      const r = await db.selectFrom('wechat_requests').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst();
      return r && toRequest(r);
    },
    async decide(challengeId, status, now) {
      const r = await db
        .updateTable('wechat_requests')
        .set({ status })
        .where('challenge_id', '=', challengeId)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now.getTime())
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async pendingFor(factorIds, now) {
      if (factorIds.length === 0) return [];
      const rows = await db
        .selectFrom('wechat_requests')
        .selectAll()
        .where('factor_id', 'in', factorIds)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now.getTime())
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toRequest);
    },
    async link(factorId, accountId, userKey, now) {
      await db.deleteFrom('wechat_links').where('factor_id', '=', factorId).execute();
      await db.insertInto('wechat_links').values({ factor_id: factorId, account_id: accountId, user_key: userKey, created_at: now.getTime() }).execute();
      // Links of unbound or replaced factors go with the next bind.
      await db.deleteFrom('wechat_links').where('factor_id', 'not in', db.selectFrom('factors').select('id')).execute();
    },
    async userKeyOf(factorId) {
      const r = await db.selectFrom('wechat_links').select('user_key').where('factor_id', '=', factorId).executeTakeFirst();
      return r?.user_key;
    },
    async boundTo(userKey) {
      return db
        .selectFrom('wechat_links')
        .innerJoin('factors', 'factors.id', 'wechat_links.factor_id')
        .select(['wechat_links.factor_id as factorId', 'wechat_links.account_id as accountId'])
        .where('wechat_links.user_key', '=', userKey)
        .where('factors.confirmed_at', 'is not', null)
        .orderBy('wechat_links.created_at')
        .execute();
    },
  };
}
