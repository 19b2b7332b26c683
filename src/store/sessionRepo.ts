import type { Kysely, Selectable } from 'kysely';
import type { SessionRecord, SessionRepo } from '../core/sessions.ts';
import { toAccountRecord } from './accountRepo.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import type { WebSessionsTable } from './sessionTables.ts';
import './sessionTables.ts';

const toRecord = (r: Selectable<WebSessionsTable>): SessionRecord => ({
  idHash: r.id_hash,
  handle: r.handle,
  accountId: r.account_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  ip: r.ip,
  userAgent: r.user_agent,
  prevLoginAt: r.prev_login_at,
  prevLoginIp: r.prev_login_ip,
  stepUpAt: r.step_up_at,
});

const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

export function sessionRepo(db: Kysely<Database>): SessionRepo {
  // Every signed-in request asks this: one query rather than the session's and then its account's.
  const withAccount = compiledQuery(db, (idHash: string) =>
    db
      .selectFrom('web_sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .selectAll('a')
      .select(['s.id_hash', 's.handle', 's.account_id', 's.created_at as session_created_at', 's.last_seen_at', 's.ip', 's.user_agent', 's.prev_login_at', 's.prev_login_ip', 's.step_up_at'])
      .where('s.id_hash', '=', idHash),
  );
  const touch = compiledQuery(db, (idHash: string, at: number) => db.updateTable('web_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash));
  // Every sign-in.
  const insert = compiledQuery(
    db,
    (id_hash: string, handle: string, account_id: string, created_at: number, last_seen_at: number, ip: string, user_agent: string, prev_login_at: number | null, prev_login_ip: string | null, step_up_at: number | null) =>
      db.insertInto('web_sessions').values({ id_hash, handle, account_id, created_at, last_seen_at, ip, user_agent, prev_login_at, prev_login_ip, step_up_at }),
  );
  return {
    async insert(s) {
      await insert(s.idHash, s.handle, s.accountId, s.createdAt, s.lastSeenAt, s.ip, s.userAgent, s.prevLoginAt, s.prevLoginIp, s.stepUpAt);
    },
    async findWithAccount(idHash) {
      const [r] = await withAccount(idHash);
      return r && { session: toRecord({ ...r, created_at: r.session_created_at }), account: toAccountRecord(r) };
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom('web_sessions').selectAll().where('account_id', '=', accountId).orderBy('last_seen_at', 'desc').execute();
      return rows.map(toRecord);
    },
    async touch(idHash, at) {
      await touch(idHash, at);
    },
    async replaceId(oldHash, newHash, stepUpAt) {
      await db
        .updateTable('web_sessions')
        .set({ id_hash: newHash, ...(stepUpAt === undefined ? {} : { step_up_at: stepUpAt }) })
        .where('id_hash', '=', oldHash)
        .execute();
    },
    async remove(idHash) {
      return deleted(await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).executeTakeFirst());
    },
    async removeByHandle(accountId, handle) {
      return deleted(await db.deleteFrom('web_sessions').where('account_id', '=', accountId).where('handle', '=', handle).executeTakeFirst());
    },
    async removeOthers(accountId, keepHash) {
      return deleted(await db.deleteFrom('web_sessions').where('account_id', '=', accountId).where('id_hash', '!=', keepHash).executeTakeFirst());
    },
    async removeAll(accountId) {
      return deleted(await db.deleteFrom('web_sessions').where('account_id', '=', accountId).executeTakeFirst());
    },
    async removeExpired(createdBefore, seenBefore) {
      return deleted(
        await db
          .deleteFrom('web_sessions')
          .where((eb) => eb.or([eb('created_at', '<', createdBefore), eb('last_seen_at', '<', seenBefore)]))
          .executeTakeFirst(),
      );
    },
  };
}
