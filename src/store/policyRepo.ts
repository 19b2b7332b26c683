import { sql, type Kysely, type Selectable } from 'kysely';
import type { DomainPolicy, DomainPolicyRepo } from '../core/adminPorts.ts';
import type { MethodKind } from '../core/ports.ts';
import type { DomainPoliciesTable } from './adminTables.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import './adminTables.ts';
import './accountTables.ts';

const toPolicy = (r: Selectable<DomainPoliciesTable>): DomainPolicy => ({
  domain: r.domain,
  twoFactor: r.two_factor === 'required' ? 'required' : 'off',
  startsAt: new Date(r.starts_at),
  graceDays: r.grace_days,
  helpPhone: r.help_phone,
  helpEmail: r.help_email,
});

const policyColumns = ['domain', 'two_factor', 'starts_at', 'grace_days', 'help_phone', 'help_email', 'updated_at'] as const;

export function policyRepo(db: Kysely<Database>): DomainPolicyRepo {
  // Asked by every request of the signed-in scope and every sign-in.
  const byDomain = compiledQuery(db, (domain: string) => db.selectFrom('domain_policies').selectAll().where('domain', '=', domain));
  // Every signed-in page asks (the session view). The policy's row (its kind null) and one row per
  // bound method (the policy's columns null).
  const withBound = compiledQuery(db, (domain: string, accountId: string) =>
    db
      .selectFrom('domain_policies')
      .select([...policyColumns, sql<string | null>`null`.as('kind')])
      .where('domain', '=', domain)
      .unionAll(
        db
          .selectFrom('factors')
          .select([...policyColumns.map((c) => sql<never>`null`.as(c)), 'kind'])
          .where('account_id', '=', accountId)
          .where('confirmed_at', 'is not', null),
      ),
  );
  return {
    async get(domain) {
      const [r] = await byDomain(domain);
      return r && toPolicy(r);
    },
    async withBoundKinds(domain, accountId) {
      const rows = await withBound(domain, accountId);
      const policy = rows.find((r) => r.kind === null);
      return { policy: policy && toPolicy(policy), boundKinds: rows.flatMap((r) => (r.kind === null ? [] : [r.kind as MethodKind])) };
    },
    async list() {
      return (await db.selectFrom('domain_policies').selectAll().orderBy('domain').execute()).map(toPolicy);
    },
    async put(p, now) {
      const row = { two_factor: p.twoFactor, starts_at: p.startsAt.getTime(), grace_days: p.graceDays, help_phone: p.helpPhone, help_email: p.helpEmail, updated_at: now.getTime() };
      await db
        .insertInto('domain_policies')
        .values({ domain: p.domain, ...row })
        .onConflict((oc) => oc.column('domain').doUpdateSet(row))
        .execute();
    },
    async remove(domain) {
      await db.deleteFrom('domain_policies').where('domain', '=', domain).execute();
    },
    async exemption(accountId) {
      const r = await db.selectFrom('two_factor_exemptions').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      return r && { accountId: r.account_id, reason: r.reason, createdBy: r.created_by, createdAt: new Date(r.created_at) };
    },
    async exemptions() {
      const rows = await db
        .selectFrom('two_factor_exemptions')
        .innerJoin('accounts', 'accounts.id', 'two_factor_exemptions.account_id')
        .select(['two_factor_exemptions.account_id', 'reason', 'created_by', 'two_factor_exemptions.created_at', 'accounts.address'])
        .orderBy('accounts.address')
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, reason: r.reason, createdBy: r.created_by, createdAt: new Date(r.created_at), address: r.address }));
    },
    async exempt(e) {
      const row = { reason: e.reason, created_by: e.createdBy, created_at: e.createdAt.getTime() };
      await db
        .insertInto('two_factor_exemptions')
        .values({ account_id: e.accountId, ...row })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(row))
        .execute();
    },
    async unexempt(accountId) {
      const r = await db.deleteFrom('two_factor_exemptions').where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async claimReminder(accountId, endsAt, days, now) {
      const r = await db
        .insertInto('policy_reminders')
        .values({ account_id: accountId, ends_at: endsAt.getTime(), days, sent_at: now.getTime() })
        .onConflict((oc) => oc.columns(['account_id', 'ends_at', 'days']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
