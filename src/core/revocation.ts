import { randomBytes } from 'node:crypto';
import { noTransactions, type Atomic, type Clock, type PubSub } from './ports.ts';

/** The bus topic of every revocation; IMAP, POP3, SMTP and JMAP sessions on every node listen to it (SPEC X9). */
export const credentialsRevokedTopic = 'credentials.revoked';

/** What a live mail or JMAP session logged in with. */
export type Credential = { kind: 'password' } | { kind: 'app_password'; id: string };

export const revocationReasons = ['app_password_deleted', 'password_changed', 'two_factor_reset', 'account_disabled', 'signed_out_everywhere'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

/**
 * Published when credentials of an account stop being valid. `credentials` is `all` (account
 * disabled, signed out everywhere) or the main password and/or the client-specific passwords named.
 */
export interface CredentialsRevoked {
  accountId: string;
  reason: RevocationReason;
  credentials: 'all' | { password: boolean; appPasswordIds: string[] };
}

/** Whether a session of `accountId` that logged in with `credential` must end on `event`. */
export function revokes(event: CredentialsRevoked, accountId: string, credential: Credential): boolean {
  if (event.accountId !== accountId) return false;
  if (event.credentials === 'all') return true;
  return credential.kind === 'password' ? event.credentials.password : event.credentials.appPasswordIds.includes(credential.id);
}

function parse(payload: unknown): CredentialsRevoked | undefined {
  const e = payload as Partial<CredentialsRevoked> | null;
  if (!e || typeof e.accountId !== 'string' || !(revocationReasons as readonly string[]).includes(e.reason as string)) return undefined;
  const c = e.credentials;
  if (c === 'all') return e as CredentialsRevoked;
  if (c && typeof c === 'object' && typeof c.password === 'boolean' && Array.isArray(c.appPasswordIds) && c.appPasswordIds.every((id) => typeof id === 'string')) return e as CredentialsRevoked;
  return undefined;
}

/**
 * Every revocation, kept in the database for a day: a node that missed the bus (Redis away, or a
 * message lost while it reconnected) reads what it missed from here within `catchUpMs`.
 */
export interface RevocationLog {
  add(id: string, at: Date, event: CredentialsRevoked): Promise<void>;
  /** Entries recorded at or after `since`. */
  since(since: Date): Promise<{ id: string; at: Date; event: unknown }[]>;
  prune(before: Date): Promise<void>;
}

/** How often a node reads the revocation log, so a revocation ends sessions on every node within it even without Redis. */
export const revocationCatchUpMs = 2000;
/** Entries are read again for this long: a slow commit or a node's clock a little behind still is seen. */
const overlapMs = 60_000;

type Delivered = CredentialsRevoked & { id?: string; at?: number };

/**
 * Tells every node that credentials were revoked, and lets a node's live sessions hear it: over the
 * bus at once, and from the revocation log (when there is one) within `revocationCatchUpMs` when the
 * bus did not bring it. Each revocation is heard once.
 */
export class Revocations {
  readonly #bus: PubSub;
  readonly #log: RevocationLog | undefined;
  readonly #clock: Clock | undefined;
  readonly #atomic: Atomic;
  readonly #here = new Set<(event: CredentialsRevoked) => void>();
  readonly #subscribers = new Set<(event: CredentialsRevoked & { at?: number }) => void>();
  /** Ids heard, with when they were heard: kept while the log may return them again. */
  readonly #heard = new Map<string, number>();
  #unsubscribe: (() => void) | undefined;
  #readUpTo: number | undefined;

  constructor(bus: PubSub, durable?: { log: RevocationLog; clock: Clock; atomic?: Atomic }) {
    this.#bus = bus;
    this.#log = durable?.log;
    this.#clock = durable?.clock;
    this.#atomic = durable?.atomic ?? noTransactions;
    this.#readUpTo = durable?.clock.now().getTime();
  }

  /**
   * Stored first (when there is a log; inside the change's transaction when it has one), then
   * published once that commits: a node that hears it finds the change done. With a log a bus that
   * is down is no failure.
   */
  async publish(event: CredentialsRevoked): Promise<void> {
    if (event.credentials !== 'all' && !event.credentials.password && event.credentials.appPasswordIds.length === 0) return;
    const tellHere = () => {
      for (const fn of this.#here) fn(event);
    };
    if (!this.#log || !this.#clock) {
      tellHere();
      return this.#bus.publish(credentialsRevokedTopic, event);
    }
    const id = randomBytes(12).toString('base64url');
    const at = this.#clock.now();
    await this.#log.add(id, at, event);
    this.#atomic.afterCommit(() => {
      tellHere();
      void this.#bus.publish(credentialsRevokedTopic, { ...event, id, at: at.getTime() }).catch(() => {});
    });
  }

  /**
   * Hears this node's revocations as soon as they are committed, before the bus carries them (over
   * Redis they come back later, or only from the log while it is away). Returns the function that
   * stops listening.
   */
  onPublish(fn: (event: CredentialsRevoked) => void): () => void {
    this.#here.add(fn);
    return () => void this.#here.delete(fn);
  }

  /** Every revocation of any node, once, with when it was made (`at`, when known). Returns the function that stops listening. Malformed payloads are ignored. */
  subscribe(fn: (event: CredentialsRevoked & { at?: number }) => void): () => void {
    this.#subscribers.add(fn);
    this.#unsubscribe ??= this.#bus.subscribe(credentialsRevokedTopic, (payload) => this.#deliver(payload));
    return () => {
      this.#subscribers.delete(fn);
      if (this.#subscribers.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  }

  /** Reads the log for revocations the bus did not bring (a node's periodic work). */
  async catchUp(): Promise<void> {
    if (!this.#log || !this.#clock || this.#readUpTo === undefined) return;
    const now = this.#clock.now().getTime();
    const entries = await this.#log.since(new Date(this.#readUpTo - overlapMs));
    this.#readUpTo = now;
    for (const e of entries) this.#deliver({ ...(e.event as object), id: e.id, at: e.at.getTime() });
    for (const [id, heardAt] of this.#heard) if (heardAt < now - 2 * overlapMs) this.#heard.delete(id);
  }

  /** Forgets log entries older than a day (one node's hourly job). */
  async prune(): Promise<void> {
    if (this.#log && this.#clock) await this.#log.prune(new Date(this.#clock.now().getTime() - 24 * 60 * 60_000));
  }

  #deliver(payload: unknown): void {
    const event = parse(payload) as Delivered | undefined;
    if (!event) return;
    if (typeof event.id === 'string') {
      if (this.#heard.has(event.id)) return;
      this.#heard.set(event.id, this.#clock?.now().getTime() ?? 0);
    }
    const at = typeof event.at === 'number' ? event.at : undefined;
    for (const fn of this.#subscribers) fn({ accountId: event.accountId, reason: event.reason, credentials: event.credentials, at });
  }
}
