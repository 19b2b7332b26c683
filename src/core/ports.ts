/** The core reads time only through a Clock so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * DNS for mail authentication (SPF, DKIM, DMARC, ARC), shaped like `dns.promises.resolve`: an
 * error with code ENOTFOUND or ENODATA means "no such record", any other error is temporary.
 */
export type DnsResolve = (name: string, rrtype: string) => Promise<unknown[]>;

/** An inbound message as the SMTP server received it, for the checks that look at it. */
export interface InboundEnvelope {
  ip: string;
  /** The EHLO/HELO name. */
  helo: string;
  /** MAIL FROM; '' for the null sender. */
  mailFrom: string;
  recipients: string[];
}

/** An optional spam filter (rspamd); `header` is the one line it adds to the message. */
export interface SpamFilter {
  check(raw: Buffer, envelope: InboundEnvelope): Promise<{ verdict: 'clean' | 'spam' | 'reject' | 'defer' | 'untested'; header: string }>;
}

export interface AccountRecord {
  id: string;
  address: string;
  domain: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  quotaBytes: number;
  language: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  lastLoginIp: string | null;
}

export interface AccountRepo {
  addDomain(name: string, now: Date): Promise<boolean>;
  listDomains(): Promise<{ name: string; createdAt: Date; accounts: number }[]>;
  removeDomain(name: string): Promise<boolean>;
  domainExists(name: string): Promise<boolean>;
  countAccounts(domain: string): Promise<number>;
  insertAccount(account: Omit<AccountRecord, 'lastLoginAt' | 'lastLoginIp'>): Promise<boolean>;
  findByAddress(address: string): Promise<AccountRecord | undefined>;
  findById(id: string): Promise<AccountRecord | undefined>;
  /** The account mail to `address` is for: its own address, or one of its aliases (SPEC X5). */
  findRecipient(address: string): Promise<AccountRecord | undefined>;
  /** The account's aliases, in address order. */
  aliasesOf(accountId: string): Promise<string[]>;
  list(domain?: string): Promise<AccountRecord[]>;
  update(id: string, fields: Partial<Pick<AccountRecord, 'displayName' | 'passwordHash' | 'isAdmin' | 'disabled' | 'quotaBytes' | 'language' | 'lastLoginAt' | 'lastLoginIp'>>, now: Date): Promise<void>;
  /** A sign-in's `update` of the last login (every sign-in writes it). */
  recordLogin(id: string, ip: string, at: Date): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Whether an account has two-step verification on (≥ 1 method bound; SPEC B6, D9). Implemented by the 2FA core. */
export interface TwoFactorState {
  isOn(accountId: string): Promise<boolean>;
}

// ---- Two-step verification (issue 5) ----

/** Second-step verification methods; the UI lists every one, built or not (SPEC A4). */
export const methodKinds = ['backupEmail', 'wechat', 'sms', 'totp', 'webauthn', 'recovery'] as const;
export type MethodKind = (typeof methodKinds)[number];

/** Why a verification is asked for; it decides which methods may answer it (SPEC D1–D8). */
export type Purpose = 'login' | 'bind' | 'unbind' | 'change' | 'step_up';

/** A method bound (or being bound: `confirmedAt` null) to an account. */
export interface FactorRecord {
  id: string;
  accountId: string;
  kind: MethodKind;
  /** Shown in lists, already masked (`test****@qq.com`, `138****0000`). */
  label: string;
  /** Method-specific JSON, sealed with the data key (TOTP secret, address, phone…). */
  sealedData: string;
  /** Highest counter used (TOTP time step, WebAuthn sign count): refuses replays. */
  counter: number | null;
  confirmedAt: Date | null;
  blockedUntil: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface FactorRepo {
  insert(factor: FactorRecord): Promise<void>;
  get(id: string): Promise<FactorRecord | undefined>;
  listConfirmed(accountId: string): Promise<FactorRecord[]>;
  /**
   * Activates a pending factor in one transaction, replacing every other factor of its kind, or with
   * `replaces` only that one (null: none); false if it was not pending.
   */
  confirm(id: string, now: Date, replaces?: string | null): Promise<boolean>;
  /** Renames a bound factor; false when it is not bound. */
  setLabel(accountId: string, id: string, label: string): Promise<boolean>;
  remove(accountId: string, id: string): Promise<boolean>;
  /** Removes every factor of the account, bound or pending; how many. */
  removeAll(accountId: string): Promise<number>;
  /** Raises the counter only if `value` is higher than the stored one; false means a replay. */
  advanceCounter(id: string, value: number): Promise<boolean>;
  setBlockedUntil(id: string, until: Date): Promise<void>;
  /** Replaces the sealed data of a factor not yet confirmed; false when it is confirmed or gone. */
  setPendingData(id: string, sealedData: string, label?: string): Promise<boolean>;
  setLastUsed(id: string, now: Date): Promise<void>;
  /** Replaces the sealed data of a bound factor only if it still is `expected`; false when it changed or went. */
  swapData(id: string, expected: string, sealedData: string): Promise<boolean>;
  /** Forgets pending factors never confirmed before `before`. */
  removeStalePending(before: Date): Promise<number>;
}

export interface VerificationRecord {
  id: string;
  accountId: string;
  purpose: Purpose;
  /** Factors that may answer it. */
  factorIds: string[];
  /** The factor being unbound or changed, or being bound. */
  targetId: string | null;
  /** For a bind that replaces a bound method: the verified change it completes (used up with it). */
  parentId: string | null;
  /** SHA-256 of the cookie token for verifications bound to a browser (pending logins). */
  tokenHash: string | null;
  createdAt: Date;
  expiresAt: Date;
  verifiedAt: Date | null;
  verifiedFactorId: string | null;
  consumedAt: Date | null;
}

export interface ChallengeRecord {
  id: string;
  verificationId: string;
  factorId: string;
  /** Method-specific JSON (a code's hash, a QR session…). */
  state: string;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  approvedAt: Date | null;
  consumedAt: Date | null;
}

export interface VerificationRepo {
  insert(v: VerificationRecord): Promise<void>;
  get(id: string): Promise<VerificationRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<VerificationRecord | undefined>;
  /** Sets verified_at only while it is null: of two racing successes exactly one gets true. */
  markVerified(id: string, factorId: string, now: Date): Promise<boolean>;
  /** Uses up a verified, unexpired verification once. */
  consume(id: string, now: Date): Promise<boolean>;
  insertChallenge(c: ChallengeRecord): Promise<void>;
  getChallenge(id: string): Promise<ChallengeRecord | undefined>;
  /** The newest challenge of this factor in this verification. */
  latestChallenge(verificationId: string, factorId: string): Promise<ChallengeRecord | undefined>;
  /** Takes one attempt while fewer than `max` were taken and the challenge is unconsumed: the attempts now taken, or null. */
  reserveAttempt(challengeId: string, max: number): Promise<number | null>;
  refundAttempt(challengeId: string): Promise<void>;
  consumeChallenge(challengeId: string, now: Date): Promise<boolean>;
  approveChallenge(challengeId: string, state: string, now: Date): Promise<boolean>;
  removeExpired(before: Date): Promise<number>;
}

export interface TrustedDeviceRecord {
  id: string;
  accountId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface TrustedDeviceRepo {
  insert(d: TrustedDeviceRecord): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<TrustedDeviceRecord | undefined>;
  list(accountId: string, now: Date): Promise<TrustedDeviceRecord[]>;
  touch(id: string, now: Date): Promise<void>;
  remove(accountId: string, id: string): Promise<boolean>;
  removeAll(accountId: string): Promise<number>;
}

export interface AuditEvent {
  id: string;
  accountId: string | null;
  type: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, string | number | boolean | null>;
}

/** One database transaction around a change and what records it: its audit event and the side effects reporting it. */
export interface Atomic {
  /** Runs `fn` in one transaction (inside one already running: joins it). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` once the transaction in progress has committed (at once outside one); never if it rolls back. */
  afterCommit(fn: () => void): void;
}

/** Outside any database (unit tests of core with repositories in memory). */
export const noTransactions: Atomic = { run: (fn) => fn(), afterCommit: (fn) => fn() };

export interface AuditRepo {
  insert(event: AuditEvent): Promise<void>;
  get(id: string): Promise<AuditEvent | undefined>;
  /** Newest first (time, then id); `before` keeps only the events listed after that one. */
  list(accountId: string, limit: number, before?: { at: Date; id: string }): Promise<AuditEvent[]>;
  /** Where the successful sign-ins (`login_succeeded`) among the account's `limit` newest events came from, each source once. */
  recentSignIns(accountId: string, limit: number): Promise<SignInSource[]>;
}

/** Where a recorded sign-in came from. */
export interface SignInSource {
  ip: string | null;
  userAgent: string | null;
}

/** Publish/subscribe between the parts of Postern and between nodes (memory, or Redis when configured). */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, fn: (payload: unknown) => void): () => void;
}

/** When a code last went out per key, shared by all nodes: the resend interval of sent codes (SPEC C8). */
export interface ResendClaims {
  /** Records a send for `key` unless the last one was less than `intervalMs` ago: 0 when claimed, else the milliseconds still to wait. */
  claim(key: string, now: Date, intervalMs: number): Promise<number>;
  /** The milliseconds `claim` would still make one wait (0: it would claim), without claiming. */
  waiting(key: string, now: Date, intervalMs: number): Promise<number>;
  /** Undoes the claim made at `sentAt` when nothing was sent. */
  release(key: string, sentAt: Date): Promise<void>;
  /** Forgets claims made before `before`. */
  removeBefore(before: Date): Promise<void>;
}

/** A counter per key and fixed time window, shared by all nodes (database or Redis). */
export interface RateLimiter {
  /** Takes one unit of `limit` for the window containing `now`; `ok` false when none is left. */
  consume(key: string, limit: number, windowMs: number, now: Date): Promise<{ ok: boolean; used: number; retryAfterMs: number }>;
  /** Gives one unit back (a check that turned out not to be a failure). */
  refund(key: string, windowMs: number, now: Date): Promise<void>;
  /** Units used in the window containing `now`, without taking one (reads only). */
  peek(key: string, windowMs: number, now: Date): Promise<{ used: number; retryAfterMs: number }>;
}

/** Verification codes sent per destination and day, and the last send per channel and account (SPEC C8). */
export interface SendCountRepo {
  /** Counts one more send to `destination` on `day` and returns the new count (atomic across nodes). */
  increment(destination: string, day: string): Promise<number>;
  /** Forgets days before `day`. */
  prune(day: string): Promise<void>;
}
