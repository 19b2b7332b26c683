import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditRepo } from '../core/ports.ts';
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
  return {
    async insert(e) {
      await db
        .insertInto('audit_events')
        .values({ id: e.id, account_id: e.accountId, type: e.type, at: e.at.getTime(), ip: e.ip, user_agent: e.userAgent, detail: JSON.stringify(e.detail), actor: typeof e.detail.operator === 'string' ? e.detail.operator : null })
        .execute();
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
