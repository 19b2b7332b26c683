import type { AccountRecord, AuditEvent, MethodKind } from './ports.ts';

/** A domain's two-step policy (SPEC X5) and its help-desk contacts (F1). */
export interface DomainPolicy {
  domain: string;
  twoFactor: 'off' | 'required';
  /** When the requirement starts; accounts created later get their grace from their creation. */
  startsAt: Date;
  graceDays: number;
  helpPhone: string;
  helpEmail: string;
}

export interface Exemption {
  accountId: string;
  reason: string;
  /** The administrator's address. */
  createdBy: string;
  createdAt: Date;
}

export interface DomainPolicyRepo {
  get(domain: string): Promise<DomainPolicy | undefined>;
  /** The domain's policy and the kinds of the account's bound (confirmed) methods, in one read. */
  withBoundKinds(domain: string, accountId: string): Promise<{ policy: DomainPolicy | undefined; boundKinds: MethodKind[] }>;
  list(): Promise<DomainPolicy[]>;
  put(policy: DomainPolicy, now: Date): Promise<void>;
  remove(domain: string): Promise<void>;
  exemption(accountId: string): Promise<Exemption | undefined>;
  exemptions(): Promise<(Exemption & { address: string })[]>;
  exempt(e: Exemption): Promise<void>;
  unexempt(accountId: string): Promise<boolean>;
  /** Records a reminder (days before the end) once: false when it was sent already. */
  claimReminder(accountId: string, endsAt: Date, days: number, now: Date): Promise<boolean>;
}

export interface AliasRecord {
  address: string;
  domain: string;
  accountId: string;
  createdAt: Date;
}

export interface AliasRepo {
  /** False when the address is taken (by another alias). */
  insert(alias: AliasRecord): Promise<boolean>;
  find(address: string): Promise<AliasRecord | undefined>;
  list(accountId: string): Promise<AliasRecord[]>;
  remove(address: string): Promise<boolean>;
  countInDomain(domain: string): Promise<number>;
}

/** One page of accounts in address order; `after` is the last address of the previous page. */
export interface AccountSearch {
  search(query: { prefix: string; domain?: string; after?: string; limit: number }): Promise<AccountRecord[]>;
}

export interface AuditFilter {
  accountId?: string;
  type?: string;
  actor?: string;
  ip?: string;
  from?: Date;
  to?: Date;
}

/** Every account's events, newest first (time, then id), for administrators. */
export interface AuditQuery {
  query(filter: AuditFilter, limit: number, before?: { at: Date; id: string }): Promise<(AuditEvent & { actor: string | null })[]>;
}

/** The figures of the admin dashboard, counted by the database. */
export interface AdminStats {
  accountsPerDomain(activeSince: Date): Promise<{ domain: string; accounts: number; active: number; twoFactorOn: number }[]>;
  /** Accounts with ≥ 1 bound method per domain and kind. */
  methodsPerDomain(): Promise<{ domain: string; kind: string; accounts: number }[]>;
  /** Accounts of the domain without a method and not exempt: all, and those created after `createdAfter`. */
  withoutTwoFactor(domain: string, createdAfter: Date): Promise<{ total: number; createdAfter: number }>;
  countEvents(type: string, since: Date): Promise<number>;
  /** Accounts of the domain without a method and not exempt whose grace starts (the later of `startsAt` and their creation) in (from, to]. */
  unenrolledStartingBetween(domain: string, startsAt: Date, from: Date, to: Date): Promise<{ id: string; createdAt: Date }[]>;
}
