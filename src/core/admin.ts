import { randomInt } from 'node:crypto';
import { normalizeAddress, normalizeDomain } from './addresses.ts';
import type { AccountSearch, AdminStats, AliasRepo, AuditFilter, AuditQuery } from './adminPorts.ts';
import type { Accounts } from './accounts.ts';
import type { AppPasswords } from './appPasswords.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { dkimDnsRecords, type DkimKeys } from './dkimKeys.ts';
import { PosternError } from './errors.ts';
import { resetTwoFactor, signOutEverywhere, type ResetSummary } from './helpDesk.ts';
import type { AccountRecord, Clock } from './ports.ts';
import type { Revocations } from './revocation.ts';
import type { Sessions } from './sessions.ts';
import type { TrustedDevices } from './trustedDevices.ts';
import type { TwoFactor } from './twoFactor.ts';
import { reminderDays, standingAt, type PolicyInput, type TwoFactorPolicy } from './twoFactorPolicy.ts';

export interface AdminDeps {
  accounts: Accounts;
  policy: TwoFactorPolicy;
  aliases: AliasRepo;
  search: AccountSearch;
  auditQuery: AuditQuery;
  stats: AdminStats;
  twoFactor: TwoFactor;
  trustedDevices: TrustedDevices;
  sessions: Sessions;
  appPasswords: AppPasswords;
  audit: Audit;
  revocations: Revocations;
  dkim: DkimKeys;
  clock: Clock;
}

/** Who acts: the request, naming the administrator (web: their address; CLI: `user@host`) as `operator`. */
export type Actor = RequestInfo & { operator: string };

const dayMs = 86_400_000;
export const maxQuotaBytes = 1024 ** 4;
export const maxPageSize = 200;
const recentEvents = 20;
// No look-alike characters: the password is read off a screen or a phone call.
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time main password shown once to the administrator: 4 groups of 5 random characters. */
export function oneTimePassword(): string {
  return Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join('')).join('-');
}

/**
 * The admin console's actions (SPEC X5), one function each for the admin pages and the CLI. Every
 * action on an account is audited on that account with the administrator as its actor, so the
 * owner sees it on 安全动态 and gets a notice (X12); domain actions are audited without an account.
 */
export class Admin {
  readonly #d: AdminDeps;

  constructor(deps: AdminDeps) {
    this.#d = deps;
  }

  async dashboard() {
    const now = this.#d.clock.now();
    const [perDomain, methods, policies, exemptions, lockouts, recent] = await Promise.all([
      this.#d.stats.accountsPerDomain(new Date(now.getTime() - 30 * dayMs)),
      this.#d.stats.methodsPerDomain(),
      this.#d.policy.repo.list(),
      this.#d.policy.repo.exemptions(),
      this.#d.stats.countEvents('lockout_started', new Date(now.getTime() - 60 * 60_000)),
      this.#d.auditQuery.query({}, recentEvents),
    ]);
    const domains = await Promise.all(
      perDomain.map(async (d) => {
        const policy = policies.find((p) => p.domain === d.domain && p.twoFactor === 'required');
        let inGrace = 0;
        let pastGrace = 0;
        if (policy) {
          // Grace runs from the later of the policy's start and the account's creation.
          const cutoff = new Date(now.getTime() - policy.graceDays * dayMs);
          const without = await this.#d.stats.withoutTwoFactor(d.domain, cutoff);
          const allInGrace = standingAt(policy, new Date(0), now).state === 'grace';
          inGrace = allInGrace ? without.total : without.createdAfter;
          pastGrace = without.total - inGrace;
        }
        const byMethod = Object.fromEntries(methods.filter((m) => m.domain === d.domain).map((m) => [m.kind, m.accounts]));
        return { ...d, byMethod, policy: policy ? ('required' as const) : ('off' as const), inGrace, pastGrace };
      }),
    );
    return { domains, exemptions, lockouts, recent };
  }

  async domains() {
    const [domains, policies] = await Promise.all([this.#d.accounts.repo.listDomains(), this.#d.policy.repo.list()]);
    return domains.map((d) => ({ ...d, policy: policies.find((p) => p.domain === d.name) ?? null }));
  }

  async addDomain(name: string, by: Actor): Promise<string> {
    const domain = await this.#d.accounts.addDomain(name);
    await this.#d.audit.record(null, 'domain_added', by, { domain });
    return domain;
  }

  /** Refused while accounts or aliases use the domain (`domain_not_empty` with the count). */
  async removeDomain(name: string, by: Actor): Promise<void> {
    const domain = normalizeDomain(name);
    const aliases = await this.#d.aliases.countInDomain(domain);
    if (aliases > 0) throw new PosternError('domain_not_empty', { domain, count: aliases });
    await this.#d.accounts.removeDomain(domain);
    await this.#d.policy.repo.remove(domain);
    await this.#d.audit.record(null, 'domain_removed', by, { domain });
  }

  async setPolicy(domain: string, input: PolicyInput, by: Actor) {
    if (!(await this.#d.accounts.repo.domainExists(normalizeDomain(domain)))) throw new PosternError('unknown_domain', { domain });
    const policy = await this.#d.policy.set(domain, input);
    await this.#d.audit.record(null, 'domain_policy_changed', by, { domain: policy.domain, twoFactor: policy.twoFactor, startsAt: policy.startsAt.getTime(), graceDays: policy.graceDays });
    return policy;
  }

  async setHelp(domain: string, help: { phone: string; email: string }, by: Actor) {
    if (!(await this.#d.accounts.repo.domainExists(normalizeDomain(domain)))) throw new PosternError('unknown_domain', { domain });
    const policy = await this.#d.policy.setHelp(domain, help);
    await this.#d.audit.record(null, 'help_contacts_changed', by, { domain: policy.domain });
    return policy;
  }

  /** The domain's DKIM records, creating its keys on first use. */
  async dkimRecords(domain: string, relayHost: string | undefined) {
    const { keys } = await this.#d.dkim.ensure(domain);
    return dkimDnsRecords(keys[0].domain, keys, relayHost);
  }

  /** A page of accounts whose address starts with `prefix`, in address order, after `after`. */
  search(query: { prefix?: string; domain?: string; after?: string; limit?: number }): Promise<AccountRecord[]> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), maxPageSize);
    return this.#d.search.search({ prefix: (query.prefix ?? '').trim().toLowerCase(), domain: query.domain, after: query.after, limit });
  }

  /** Creates an account with a one-time password, returned once. */
  async createAccount(input: { address: string; displayName?: string; isAdmin?: boolean; quotaBytes?: number }, by: Actor) {
    if (input.quotaBytes !== undefined) checkQuota(input.quotaBytes);
    const password = oneTimePassword();
    const account = await this.#d.accounts.create({ ...input, password });
    await this.#d.audit.record(account.id, 'account_created', by, { admin: account.isAdmin });
    return { account, password };
  }

  async details(account: AccountRecord) {
    const [overview, trustedDevices, appPasswords, sessions, aliases, standing, exemption] = await Promise.all([
      this.#d.twoFactor.overview(account.id),
      this.#d.trustedDevices.list(account.id),
      this.#d.appPasswords.list(account.id),
      this.#d.sessions.list(account.id),
      this.#d.aliases.list(account.id),
      this.#d.policy.standingWithout2fa(account),
      this.#d.policy.repo.exemption(account.id),
    ]);
    return { account, overview, trustedDevices, appPasswords, sessions, aliases, standing, exemption };
  }

  /** Disabling ends the web sessions and, on every node, the mail connections (SPEC X9). */
  async setDisabled(account: AccountRecord, disabled: boolean, by: Actor): Promise<void> {
    await this.#d.accounts.setDisabled(account, disabled);
    if (disabled) await this.#d.sessions.signOutAll(account.id);
    await this.#d.audit.record(account.id, disabled ? 'account_disabled' : 'account_enabled', by);
  }

  async setQuota(account: AccountRecord, quotaBytes: number, by: Actor): Promise<void> {
    checkQuota(quotaBytes);
    await this.#d.accounts.repo.update(account.id, { quotaBytes }, this.#d.clock.now());
    await this.#d.audit.record(account.id, 'quota_changed', by, { quotaBytes });
  }

  async setAdmin(account: AccountRecord, isAdmin: boolean, by: Actor, self?: AccountRecord): Promise<void> {
    if (self?.id === account.id && !isAdmin) throw new PosternError('own_admin_flag');
    await this.#d.accounts.repo.update(account.id, { isAdmin }, this.#d.clock.now());
    await this.#d.audit.record(account.id, 'admin_flag_changed', by, { admin: isAdmin });
  }

  /** A new one-time main password; the account's sessions, trusted browsers and password logins end. */
  async resetPassword(account: AccountRecord, by: Actor): Promise<string> {
    const password = oneTimePassword();
    await this.#d.accounts.changePassword(account, password, by);
    return password;
  }

  /** The help-desk reset, the same core function as `postern user reset-2fa`. */
  reset2fa(account: AccountRecord, reason: string, by: Actor, keepAppPasswords = false): Promise<ResetSummary> {
    return resetTwoFactor(this.#d, account.id, { note: reason, keepAppPasswords }, by);
  }

  signOutEverywhere(account: AccountRecord, by: Actor) {
    return signOutEverywhere(this.#d, account.id, by);
  }

  /** An address in a served domain that delivers to the account and that it may send as. */
  async addAlias(account: AccountRecord, input: string, by: Actor): Promise<string> {
    const { address, domain } = normalizeAddress(input);
    if (!(await this.#d.accounts.repo.domainExists(domain))) throw new PosternError('unknown_domain', { domain });
    if (await this.#d.accounts.repo.findByAddress(address)) throw new PosternError('alias_exists', { address });
    if (!(await this.#d.aliases.insert({ address, domain, accountId: account.id, createdAt: this.#d.clock.now() }))) throw new PosternError('alias_exists', { address });
    await this.#d.audit.record(account.id, 'alias_added', by, { address });
    return address;
  }

  async removeAlias(account: AccountRecord, input: string, by: Actor): Promise<void> {
    const address = input.trim().toLowerCase();
    const alias = await this.#d.aliases.find(address);
    if (!alias || alias.accountId !== account.id) throw new PosternError('unknown_alias', { address: input.slice(0, 320) });
    await this.#d.aliases.remove(address);
    await this.#d.audit.record(account.id, 'alias_removed', by, { address });
  }

  async exempt(account: AccountRecord, reason: string, by: Actor): Promise<void> {
    await this.#d.policy.exempt(account, reason, by.operator);
    await this.#d.audit.record(account.id, 'two_factor_exempted', by, { note: reason.trim() });
  }

  async unexempt(account: AccountRecord, by: Actor): Promise<void> {
    if (!(await this.#d.policy.repo.unexempt(account.id))) throw new PosternError('not_exempt');
    await this.#d.audit.record(account.id, 'two_factor_exemption_removed', by);
  }

  /**
   * Reminder notices 7 days and 1 day before an account's grace ends (SPEC X5), each sent once: the
   * `two_factor_reminder` event, whose notice the audit listener mails. Runs hourly on every node;
   * the database decides which node sends. Returns how many went out.
   */
  async sendReminders(): Promise<number> {
    const now = this.#d.clock.now();
    let sent = 0;
    for (const policy of await this.#d.policy.repo.list()) {
      if (policy.twoFactor !== 'required') continue;
      const graceMs = policy.graceDays * dayMs;
      const soonest = new Date(now.getTime() - graceMs);
      const latest = new Date(soonest.getTime() + reminderDays[0] * dayMs);
      for (const account of await this.#d.stats.unenrolledStartingBetween(policy.domain, policy.startsAt, soonest, latest)) {
        const standing = standingAt(policy, account.createdAt, now);
        if (standing.state !== 'grace') continue;
        const days = [...reminderDays].reverse().find((d) => standing.daysLeft <= d)!;
        if (!(await this.#d.policy.repo.claimReminder(account.id, standing.endsAt, days, now))) continue;
        await this.#d.audit.record(account.id, 'two_factor_reminder', { ip: null, userAgent: null }, { days: standing.daysLeft, endsAt: standing.endsAt.getTime() });
        sent++;
      }
    }
    return sent;
  }

  /** Every account's events, newest first; `before` is the id of the last event of the previous page. */
  auditLog(filter: AuditFilter, limit: number, before?: string) {
    const cursor = before ? { at: new Date(parseInt(before.slice(0, 9), 36)), id: before } : undefined;
    return this.#d.auditQuery.query(filter, Math.min(Math.max(limit, 1), 1000), cursor);
  }
}

function checkQuota(quotaBytes: number): void {
  if (!Number.isInteger(quotaBytes) || quotaBytes < 1024 * 1024 || quotaBytes > maxQuotaBytes) throw new PosternError('invalid_quota');
}
