import { sql, type Kysely } from 'kysely';
import type { AccountSearch, AdminStats, AuditQuery } from '../core/adminPorts.ts';
import type { AuditEvent } from '../core/ports.ts';
import { toAccountRecord } from './accountRepo.ts';
import type { Dialect } from './db.ts';
import type { Database } from './schema.ts';
import './accountTables.ts';
import './adminTables.ts';
import './twoFactorTables.ts';

/**
 * Account search as an index range on the address (`prefix ≤ address < prefix + U+FFFF`), paged by
 * the last address seen: the same few index reads over 1 000 or 100 000 accounts. PostgreSQL
 * compares in the C collation, which the index of migration 0920 is built in.
 */
export function accountSearch(db: Kysely<Database>, dialect: Dialect): AccountSearch {
  const address = dialect === 'postgres' ? sql<string>`address collate "C"` : sql<string>`address`;
  return {
    async search({ prefix, domain, after, limit }) {
      let q = db.selectFrom('accounts').selectAll();
      const low = after !== undefined && after >= prefix ? after : prefix;
      q = q.where(address, after !== undefined && after >= prefix ? '>' : '>=', low).where(address, '<', `${prefix}\uffff`);
      if (domain) q = q.where('domain', '=', domain);
      return (await q.orderBy(address).limit(limit).execute()).map(toAccountRecord);
    },
  };
}

export function auditQuery(db: Kysely<Database>): AuditQuery {
  return {
    async query(f, limit, before) {
      let q = db.selectFrom('audit_events').selectAll();
      if (f.accountId) q = q.where('account_id', '=', f.accountId);
      if (f.type) q = q.where('type', '=', f.type);
      if (f.actor) q = q.where('actor', '=', f.actor);
      if (f.ip) q = q.where('ip', '=', f.ip);
      if (f.from) q = q.where('at', '>=', f.from.getTime());
      if (f.to) q = q.where('at', '<', f.to.getTime());
      if (before) {
        const at = before.at.getTime();
        q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', before.id)])]));
      }
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, accountId: r.account_id, type: r.type, at: new Date(r.at), ip: r.ip, userAgent: r.user_agent, detail: JSON.parse(r.detail) as AuditEvent['detail'], actor: r.actor }));
    },
  };
}

export function adminStats(db: Kysely<Database>): AdminStats {
  const hasMethod = sql<boolean>`exists (select 1 from factors f where f.account_id = accounts.id and f.confirmed_at is not null)`;
  return {
    async accountsPerDomain(activeSince) {
      const rows = await db
        .selectFrom('accounts')
        .select('domain')
        .select((eb) => eb.fn.countAll<number>().as('accounts'))
        .select(sql<number>`sum(case when last_login_at >= ${activeSince.getTime()} then 1 else 0 end)`.as('active'))
        .select(sql<number>`sum(case when ${hasMethod} then 1 else 0 end)`.as('on'))
        .groupBy('domain')
        .orderBy('domain')
        .execute();
      return rows.map((r) => ({ domain: r.domain, accounts: Number(r.accounts), active: Number(r.active ?? 0), twoFactorOn: Number(r.on ?? 0) }));
    },
    async methodsPerDomain() {
      const rows = await db
        .selectFrom('factors')
        .innerJoin('accounts', 'accounts.id', 'factors.account_id')
        .select(['accounts.domain', 'factors.kind'])
        .select(sql<number>`count(distinct factors.account_id)`.as('n'))
        .where('factors.confirmed_at', 'is not', null)
        .groupBy(['accounts.domain', 'factors.kind'])
        .execute();
      return rows.map((r) => ({ domain: r.domain, kind: r.kind, accounts: Number(r.n) }));
    },
    async withoutTwoFactor(domain, createdAfter) {
      const r = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .select(sql<number>`sum(case when created_at > ${createdAfter.getTime()} then 1 else 0 end)`.as('recent'))
        .where('domain', '=', domain)
        .where(sql<boolean>`not ${hasMethod}`)
        .where(sql<boolean>`not exists (select 1 from two_factor_exemptions e where e.account_id = accounts.id)`)
        .executeTakeFirstOrThrow();
      return { total: Number(r.total), createdAfter: Number(r.recent ?? 0) };
    },
    async unenrolledStartingBetween(domain, startsAt, from, to) {
      const start = sql<number>`(case when created_at > ${startsAt.getTime()} then created_at else ${startsAt.getTime()} end)`;
      const rows = await db
        .selectFrom('accounts')
        .select(['id', 'created_at'])
        .where('domain', '=', domain)
        .where(start, '>', from.getTime())
        .where(start, '<=', to.getTime())
        .where(sql<boolean>`not ${hasMethod}`)
        .where(sql<boolean>`not exists (select 1 from two_factor_exemptions e where e.account_id = accounts.id)`)
        .execute();
      return rows.map((r) => ({ id: r.id, createdAt: new Date(r.created_at) }));
    },
    async countEvents(type, since) {
      const r = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', type).where('at', '>=', since.getTime()).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
