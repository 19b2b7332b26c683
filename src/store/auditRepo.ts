import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditRepo } from '../core/ports.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import type { AuditEventsTable } from './twoFactorTables.ts';

const event = (r: Selectable<AuditEventsTable>): AuditEvent => ({
  id: r.id,
  accountId: r.account_id,
  type: r.type,
  at: new Date(r.at),
  ip: r.ip,
  userAgent: r.user_agent,
  detail: JSON.parse(r.detail) as AuditEvent['detail'],
});

export function auditRepo(db: Kysely<Database>): AuditRepo {
  // Every sign-in records an event and reads where the recent ones came from (compiledQuery.ts).
  const insert = compiledQuery(db, (id: string, accountId: string | null, type: string, at: number, ip: string | null, userAgent: string | null, detail: string, actor: string | null) =>
    db.insertInto('audit_events').values({ id, account_id: accountId, type, at, ip, user_agent: userAgent, detail, actor }),
  );
  // Distinct: an account signs in from a few places, so a few rows come back, not `limit`.
  const recentSources = compiledQuery(db, (accountId: string, limit: number) =>
    db
      .selectFrom(db.selectFrom('audit_events').select(['type', 'ip', 'user_agent']).where('account_id', '=', accountId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).as('recent'))
      .select(['ip', 'user_agent'])
      .distinct()
      .where('type', '=', 'login_succeeded'),
  );
  return {
    async insert(e) {
      await insert(e.id, e.accountId, e.type, e.at.getTime(), e.ip, e.userAgent, JSON.stringify(e.detail), typeof e.detail.operator === 'string' ? e.detail.operator : null);
    },
    async recentSignIns(accountId, limit) {
      return (await recentSources(accountId, limit)).map((r) => ({ ip: r.ip, userAgent: r.user_agent }));
    },
    async list(accountId, limit, before) {
      let query = db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId);
      if (before) {
        const at = before.at.getTime();
        query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', before.id)])]));
      }
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(event);
    },
    async get(id) {
      const r = await db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
      return r && event(r);
    },
  };
}
