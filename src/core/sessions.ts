import { hash, randomBytes } from 'node:crypto';
import type { AccountRecord, Clock } from './ports.ts';

/** A signed-in browser. Times are epoch milliseconds. */
export interface SessionRecord {
  idHash: string;
  handle: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  ip: string;
  userAgent: string;
  /** The account's sign-in before this one, shown on the welcome page. */
  prevLoginAt: number | null;
  prevLoginIp: string | null;
  /** When the session last passed a step-up (SPEC X9); null: never. */
  stepUpAt: number | null;
}

export interface SessionRepo {
  insert(session: SessionRecord): Promise<void>;
  findWithAccount(idHash: string): Promise<{ session: SessionRecord; account: AccountRecord } | undefined>;
  listForAccount(accountId: string): Promise<SessionRecord[]>;
  touch(idHash: string, at: number): Promise<void>;
  /** Gives the session a new id and, when given, a new step-up time. */
  replaceId(oldHash: string, newHash: string, stepUpAt?: number): Promise<void>;
  remove(idHash: string): Promise<number>;
  removeByHandle(accountId: string, handle: string): Promise<number>;
  removeOthers(accountId: string, keepHash: string): Promise<number>;
  removeAll(accountId: string): Promise<number>;
  removeExpired(createdBefore: number, seenBefore: number): Promise<number>;
}

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

export type Resolved = { status: 'active'; session: SessionRecord; account: AccountRecord } | { status: 'expired' } | { status: 'none' };

/** The cookie carries 32 random bytes; only their SHA-256 is stored. (Every signed-in request hashes: the one-shot hash costs half of a Hash object's.) */
export const hashSessionId = (id: string): string => hash('sha256', id, 'base64url');
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;
// last_seen_at is written at most once a minute per session, not on every request.
const touchEveryMs = 60_000;
const sweepEveryMs = 60_000;

/** Web sessions: creation, lookup with idle and absolute expiry, rotation, sign-out. */
export class Sessions {
  readonly repo: SessionRepo;
  readonly clock: Clock;
  readonly idleMs: number;
  readonly maxMs: number;
  #sweptAt = -Infinity;

  constructor(repo: SessionRepo, clock: Clock, limits: SessionLimits) {
    this.repo = repo;
    this.clock = clock;
    this.idleMs = limits.idleMinutes * 60_000;
    this.maxMs = limits.maxHours * 3_600_000;
  }

  async create(accountId: string, from: { ip: string; userAgent: string; prevLoginAt: number | null; prevLoginIp: string | null }): Promise<{ id: string; session: SessionRecord }> {
    const now = this.clock.now().getTime();
    // Sweeping scans the table: once a minute is enough, not on every sign-in.
    if (now - this.#sweptAt >= sweepEveryMs) {
      this.#sweptAt = now;
      await this.repo.removeExpired(now - this.maxMs, now - this.idleMs);
    }
    const id = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      idHash: hashSessionId(id),
      handle: randomBytes(12).toString('base64url'),
      accountId,
      createdAt: now,
      lastSeenAt: now,
      ip: from.ip,
      userAgent: from.userAgent.slice(0, 512),
      prevLoginAt: from.prevLoginAt,
      prevLoginIp: from.prevLoginIp,
      stepUpAt: null,
    };
    await this.repo.insert(session);
    return { id, session };
  }

  /** Finds the session a cookie value names, with its account; an expired one is deleted. */
  async resolve(id: string): Promise<Resolved> {
    if (!sessionIdPattern.test(id)) return { status: 'none' };
    return this.#resolveHash(hashSessionId(id));
  }

  /** Whether a session found earlier is still live (long-lived connections ask again now and then). */
  async stillActive(session: SessionRecord): Promise<boolean> {
    return (await this.#resolveHash(session.idHash)).status === 'active';
  }

  async #resolveHash(idHash: string): Promise<Resolved> {
    const found = await this.repo.findWithAccount(idHash);
    if (!found) return { status: 'none' };
    const { session, account } = found;
    const now = this.clock.now().getTime();
    if (now - session.createdAt >= this.maxMs || now - session.lastSeenAt >= this.idleMs) {
      await this.repo.remove(session.idHash);
      return { status: 'expired' };
    }
    if (now - session.lastSeenAt >= touchEveryMs) {
      await this.repo.touch(session.idHash, now);
      session.lastSeenAt = now;
    }
    return { status: 'active', session, account };
  }

  /**
   * A new id for the same session (after a privilege change: password changed, 2FA turned on, a
   * step-up passed), so an id seen before is worthless. `stepUp` also opens the sudo window.
   */
  async rotate(session: SessionRecord, options: { stepUp?: boolean } = {}): Promise<{ id: string; session: SessionRecord }> {
    const id = randomBytes(32).toString('base64url');
    const idHash = hashSessionId(id);
    const stepUpAt = options.stepUp ? this.clock.now().getTime() : undefined;
    await this.repo.replaceId(session.idHash, idHash, stepUpAt);
    return { id, session: { ...session, idHash, stepUpAt: stepUpAt ?? session.stepUpAt } };
  }

  /** Seconds the cookie should live: until the absolute limit. */
  cookieMaxAge(session: SessionRecord): number {
    return Math.max(0, Math.floor((session.createdAt + this.maxMs - this.clock.now().getTime()) / 1000));
  }

  end(session: SessionRecord): Promise<number> {
    return this.repo.remove(session.idHash);
  }

  /** The account's live sessions, most recently seen first. */
  async list(accountId: string): Promise<SessionRecord[]> {
    const now = this.clock.now().getTime();
    return (await this.repo.listForAccount(accountId)).filter((s) => now - s.createdAt < this.maxMs && now - s.lastSeenAt < this.idleMs);
  }

  signOut(accountId: string, handle: string): Promise<number> {
    return this.repo.removeByHandle(accountId, handle);
  }

  /** Ends every web session of the account (an administrator's sign-out); how many. */
  signOutAll(accountId: string): Promise<number> {
    return this.repo.removeAll(accountId);
  }

  signOutOthers(session: SessionRecord): Promise<number> {
    return this.repo.removeOthers(session.accountId, session.idHash);
  }
}
