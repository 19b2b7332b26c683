import { normalizeDomain } from './addresses.ts';
import type { DomainPolicy, DomainPolicyRepo } from './adminPorts.ts';
import { PosternError } from './errors.ts';
import type { AccountRecord, Clock, TwoFactorState } from './ports.ts';
import { twoFactorOnWith } from './twoFactor.ts';

const dayMs = 86_400_000;
export const maxGraceDays = 365;
/** Reminder notices go out this many days before the grace period ends (SPEC X5). */
export const reminderDays = [7, 1] as const;

/**
 * Where an account stands under its domain's policy, whatever its methods: `grace` until `endsAt`
 * (with whole days left, rounded up), then `enforced`.
 */
export type PolicyStanding =
  | { state: 'off' }
  | { state: 'exempt'; reason: string }
  | { state: 'grace'; endsAt: Date; daysLeft: number }
  | { state: 'enforced'; endsAt: Date };

/** What a signed-in page starts from: whether 2FA is on, the standing without it, the domain's help-desk contacts. */
export interface AccountOverview {
  twoFactorOn: boolean;
  standing: PolicyStanding;
  help: { phone: string; email: string } | null;
}

export interface PolicyInput {
  twoFactor: 'off' | 'required';
  startsAt?: Date;
  graceDays?: number;
}

/**
 * 2FA required per domain with a grace period (SPEC X5). The grace of an account starts at the
 * policy's start, or at the account's creation when that is later; after it, an account without a
 * bound method may only bind one (the login flow's `enrolment_required`, the signed-in scope and
 * client logins all ask `mustEnrol`). Exempt accounts are never held.
 */
export class TwoFactorPolicy {
  readonly #repo: DomainPolicyRepo;
  readonly #clock: Clock;
  readonly #twoFactor: TwoFactorState;

  constructor(repo: DomainPolicyRepo, clock: Clock, twoFactor: TwoFactorState) {
    this.#repo = repo;
    this.#clock = clock;
    this.#twoFactor = twoFactor;
  }

  get repo(): DomainPolicyRepo {
    return this.#repo;
  }

  async standing(account: AccountRecord): Promise<PolicyStanding> {
    return this.#standingUnder(await this.#repo.get(account.domain), account);
  }

  async #standingUnder(policy: DomainPolicy | undefined, account: AccountRecord): Promise<PolicyStanding> {
    if (!policy || policy.twoFactor === 'off') return { state: 'off' };
    const exemption = await this.#repo.exemption(account.id);
    if (exemption) return { state: 'exempt', reason: exemption.reason };
    return standingAt(policy, account.createdAt, this.#clock.now());
  }

  /** The standing that matters to an account without 2FA; `off` once a method is bound. */
  async standingWithout2fa(account: AccountRecord): Promise<PolicyStanding> {
    // Every authenticated request asks (mustEnrol): the methods are read only where the domain requires 2FA.
    const standing = await this.standing(account);
    return standing.state !== 'off' && (await this.#twoFactor.isOn(account.id)) ? { state: 'off' } : standing;
  }

  /**
   * What a signed-in page starts from (the session view), and what a sign-in decides on (2FA on,
   * enrolment required). The policy and the bound methods come in one read: every signed-in page
   * and every sign-in asks, and each read costs more than its rows.
   */
  async overview(account: AccountRecord): Promise<AccountOverview> {
    const { policy, boundKinds } = await this.#repo.withBoundKinds(account.domain, account.id);
    const twoFactorOn = twoFactorOnWith(boundKinds);
    return { twoFactorOn, standing: twoFactorOn ? { state: 'off' } : await this.#standingUnder(policy, account), help: helpOf(policy) };
  }

  /** Past grace without a bound method: the account may only bind its first one. */
  async mustEnrol(account: AccountRecord): Promise<boolean> {
    return (await this.standingWithout2fa(account)).state === 'enforced';
  }

  async get(domainInput: string): Promise<DomainPolicy> {
    const domain = normalizeDomain(domainInput);
    return (await this.#repo.get(domain)) ?? { domain, twoFactor: 'off', startsAt: this.#clock.now(), graceDays: 0, helpPhone: '', helpEmail: '' };
  }

  /** Sets the 2FA policy of a domain, keeping its help-desk contacts. */
  async set(domainInput: string, input: PolicyInput): Promise<DomainPolicy> {
    const current = await this.get(domainInput);
    const graceDays = input.graceDays ?? current.graceDays;
    if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > maxGraceDays) throw new PosternError('invalid_grace_days', { max: maxGraceDays });
    const startsAt = input.startsAt ?? (input.twoFactor === 'required' && current.twoFactor === 'off' ? this.#clock.now() : current.startsAt);
    if (Number.isNaN(startsAt.getTime())) throw new PosternError('invalid_date');
    const policy = { ...current, twoFactor: input.twoFactor, startsAt, graceDays };
    await this.#repo.put(policy, this.#clock.now());
    return policy;
  }

  /** The domain's own help-desk contacts, or null when it has none. */
  async setHelp(domainInput: string, help: { phone: string; email: string }): Promise<DomainPolicy> {
    const phone = help.phone.trim();
    const email = help.email.trim();
    if (phone.length > 64 || email.length > 254 || /[\0-\x1f\x7f]/.test(phone + email)) throw new PosternError('invalid_help_contact');
    const policy = { ...(await this.get(domainInput)), helpPhone: phone, helpEmail: email };
    await this.#repo.put(policy, this.#clock.now());
    return policy;
  }

  async exempt(account: AccountRecord, reason: string, by: string): Promise<void> {
    const text = reason.trim();
    if (!text || text.length > 500 || /[\0-\x1f\x7f]/.test(text)) throw new PosternError('invalid_reason', { max: 500 });
    await this.#repo.exempt({ accountId: account.id, reason: text, createdBy: by, createdAt: this.#clock.now() });
  }
}

const helpOf = (policy: DomainPolicy | undefined): { phone: string; email: string } | null =>
  policy && (policy.helpPhone || policy.helpEmail) ? { phone: policy.helpPhone, email: policy.helpEmail } : null;

export function standingAt(policy: DomainPolicy, createdAt: Date, now: Date): PolicyStanding {
  const start = Math.max(policy.startsAt.getTime(), createdAt.getTime());
  const endsAt = new Date(start + policy.graceDays * dayMs);
  const left = endsAt.getTime() - now.getTime();
  return left > 0 ? { state: 'grace', endsAt, daysLeft: Math.ceil(left / dayMs) } : { state: 'enforced', endsAt };
}
