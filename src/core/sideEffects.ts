// Mail and text messages that report a change (security notices, verification codes) are rows
// written with the change and sent by whichever node claims them: a node that dies after the change
// committed leaves the row for another node, or for itself after a restart (SPEC O1, X4).
import { randomBytes } from 'node:crypto';
import { deadline } from './deadline.ts';
import type { Clock } from './ports.ts';

export const sideEffectKinds = ['notice_inbox', 'notice_backup', 'code_mail', 'code_sms'] as const;
export type SideEffectKind = (typeof sideEffectKinds)[number];

export interface SideEffect {
  id: string;
  kind: SideEffectKind;
  /** What the handler needs; sealed when it holds a code. */
  payload: string;
  accountId: string | null;
  /** Attempts started so far, the one in progress included. */
  attempts: number;
  /** Not sent after this (a code's expiry); null: until the retries run out. */
  notAfter: Date | null;
}

export interface SideEffectRepo {
  /** Stores new rows, held by this node until `heldUntil`; inside the caller's transaction when there is one. */
  add(items: SideEffect[], heldUntil: Date): Promise<void>;
  /** Takes up to `limit` rows due at `now` that no other node holds, holding them until `until` and counting an attempt. */
  claim(now: Date, until: Date, limit: number): Promise<SideEffect[]>;
  done(id: string): Promise<void>;
  retry(id: string, next: Date, error: string): Promise<void>;
  /** Keeps the row, never tried again, for the operator to see. */
  giveUp(id: string, error: string): Promise<void>;
  /** Rows waiting to be sent (the queue-depth metric). */
  pending(): Promise<number>;
}


/** Minutes to wait after each failed attempt; after the last one the row is given up. */
export const sideEffectRetryMinutes = [1, 5, 15, 60, 240];

export type SideEffectHandler = (item: SideEffect) => Promise<void>;

export interface SideEffectsDeps {
  repo: SideEffectRepo;
  clock: Clock;
  /**
   * How long a node holds a row it is sending: longer than any send may take (an attempt is cut off
   * at half of it), so no other node takes a row that may still be in flight. A duplicate comes only
   * from a node that died after the provider accepted the message and before the row was marked done.
   */
  holdMs?: number;
  log: { warn(detail: object, message: string): void; error(detail: object, message: string): void };
  /** Told of each row given up (metric). */
  onGiveUp?: (item: SideEffect) => void;
}

/** Which error a failed send had, without anything secret (the payload holds codes). */
const reasonOf = (err: unknown): string => {
  const e = err as { code?: unknown; params?: { reason?: unknown } };
  return String(e.params?.reason ?? e.code ?? (err as Error).name ?? 'error').slice(0, 200);
};

export class SideEffects {
  readonly #d: SideEffectsDeps;
  readonly #handlers = new Map<SideEffectKind, SideEffectHandler>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #running: Promise<void> | undefined;

  constructor(deps: SideEffectsDeps) {
    this.#d = deps;
  }

  get #holdMs(): number {
    return this.#d.holdMs ?? 120_000;
  }

  handle(kind: SideEffectKind, handler: SideEffectHandler): this {
    this.#handlers.set(kind, handler);
    return this;
  }

  /** A new row, held by this node for its first attempt. */
  item(kind: SideEffectKind, payload: string, accountId: string | null, notAfter: Date | null = null): SideEffect {
    return { id: randomBytes(12).toString('base64url'), kind, payload, accountId, attempts: 1, notAfter };
  }

  heldUntil(): Date {
    return new Date(this.#d.clock.now().getTime() + this.#holdMs);
  }

  add(items: SideEffect[]): Promise<void> {
    return this.#d.repo.add(items, this.heldUntil());
  }

  /**
   * Sends a row this node added and waits for it: a failure is thrown to the caller (who tells the
   * user, who may ask again) and the row is dropped.
   */
  async sendNow(item: SideEffect): Promise<void> {
    try {
      await this.#send(item);
    } finally {
      await this.#d.repo.done(item.id);
    }
  }

  /** Starts the first attempt of rows this node added, with retries on failure; never throws. */
  start(items: SideEffect[]): void {
    for (const item of items) this.#track(this.#attempt(item));
  }

  /** One pass over the rows due (left by a node that died, or waiting for a retry); concurrent calls share it. */
  runDue(): Promise<void> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  pending(): Promise<number> {
    return this.#d.repo.pending();
  }

  /** Resolves when every attempt started so far has ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.#d.log.error({ err }, 'side effect failed unexpectedly'));
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  async #pass(): Promise<void> {
    const now = this.#d.clock.now();
    const claimed = await this.#d.repo.claim(now, this.heldUntil(), 20);
    await Promise.all(claimed.map((item) => this.#attempt(item)));
  }

  async #send(item: SideEffect): Promise<void> {
    const handler = this.#handlers.get(item.kind);
    if (!handler) throw Object.assign(new Error(`no handler for ${item.kind}`), { code: 'no_handler' });
    await deadline(handler(item), this.#holdMs / 2, () => Object.assign(new Error('send took too long'), { code: 'timeout' }));
  }

  async #attempt(item: SideEffect): Promise<void> {
    const now = this.#d.clock.now();
    if (item.notAfter && item.notAfter.getTime() <= now.getTime()) return this.#giveUp(item, 'expired');
    try {
      await this.#send(item);
    } catch (err) {
      const reason = reasonOf(err);
      const wait = sideEffectRetryMinutes[item.attempts - 1];
      const next = wait === undefined ? undefined : new Date(now.getTime() + wait * 60_000);
      if (!next || (item.notAfter && next.getTime() > item.notAfter.getTime())) return this.#giveUp(item, reason);
      this.#d.log.warn({ sideEffect: item.id, kind: item.kind, attempts: item.attempts, error: reason }, 'side effect not sent; will retry');
      return this.#d.repo.retry(item.id, next, reason);
    }
    await this.#d.repo.done(item.id);
  }

  async #giveUp(item: SideEffect, reason: string): Promise<void> {
    this.#d.log.error({ sideEffect: item.id, kind: item.kind, account: item.accountId, attempts: item.attempts, error: reason }, 'side effect given up');
    this.#d.onGiveUp?.(item);
    await this.#d.repo.giveUp(item.id, reason);
  }
}
