import type { Kysely } from 'kysely';
import type { AuditEvent, AuditRepo } from '../core/ports.ts';
import type { Database } from './schema.ts';
import './twoFactorTables.ts';

export function auditRepo(db: Kysely<Database>): AuditRepo {
  return {
    async insert(e) {
      await db
        .insertInto('audit_events')
        .values({ id: e.id, account_id: e.accountId, type: e.type, at: e.at.getTime(), ip: e.ip, user_agent: e.userAgent, detail: JSON.stringify(e.detail) })
        .execute();
    },
    async list(accountId, limit) {
      const rows = await db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        accountId: r.account_id,
        type: r.type,
        at: new Date(r.at),
        ip: r.ip,
        userAgent: r.user_agent,
        detail: JSON.parse(r.detail) as AuditEvent['detail'],
      }));
    },
  };
}
