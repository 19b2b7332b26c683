import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { deadline } from '../core/deadline.ts';
import type { AccountRepo, Clock } from '../core/ports.ts';
import { buildBounce } from './bounce.ts';
import type { MailStore } from './mailStore.ts';
import type { BlobStore } from './types.ts';

export interface OutboundItem {
  id: string;
  accountId: string | null;
  sender: string;
  recipients: string[];
  blobId: string;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  lastError: string | null;
}

export interface OutboundRepo {
  insert(item: Omit<OutboundItem, 'id' | 'attempts' | 'lastError'>): Promise<string>;
  due(now: Date, limit: number): Promise<OutboundItem[]>;
  /** Takes an item for one attempt (until `until`) unless another node already did. */
  claim(id: string, seen: Date, until: Date): Promise<boolean>;
  reschedule(id: string, attempts: number, next: Date, error: string): Promise<void>;
  remove(id: string): Promise<void>;
  count(): Promise<number>;
}

/** Minutes to wait after each failed attempt; after the last one the sender gets a bounce (about two days). */
export const retryMinutes = [1, 5, 15, 30, 60, 120, 240, 480, 480, 480, 480];

/**
 * The transport's own timeouts, an overall deadline per attempt, and the claim (lease) on an item,
 * in that order of length: no other node takes an item while its attempt may still be running.
 * Delivery is at least once: a node that dies after the relay accepted a message but before the
 * item is removed leaves it to be sent again when the lease ends. That duplicate is the only
 * failure mode; a message is never lost once queued.
 */
export const relayTimeouts = { connectionMs: 30_000, greetingMs: 30_000, socketMs: 60_000, attemptMs: 5 * 60_000, leaseMs: 10 * 60_000 };

export interface RelayQueueDeps {
  repo: OutboundRepo;
  blobs: BlobStore;
  mail: MailStore;
  accounts: AccountRepo;
  clock: Clock;
  log: Logger;
  relayUrl: string | undefined;
  hostname: string;
  /** DKIM-signs a message before it is queued (SPEC M6). */
  sign: (raw: Buffer) => Promise<Buffer>;
}

/** Mail for other domains: persisted first, then handed to the relay with retries and backoff. */
export class RelayQueue {
  readonly #deps: RelayQueueDeps;
  #transport: Transporter | undefined;
  #running: Promise<void> | undefined;

  constructor(deps: RelayQueueDeps) {
    this.#deps = deps;
  }

  /** Messages waiting to be relayed (the queue-depth metric). */
  depth(): Promise<number> {
    return this.#deps.repo.count();
  }

  get enabled(): boolean {
    return !!this.#deps.relayUrl;
  }

  /** Stores the message durably for relaying; resolves once it is committed. */
  async enqueue(accountId: string | null, sender: string, recipients: string[], raw: Buffer): Promise<void> {
    const now = this.#deps.clock.now();
    const blobId = await this.#deps.blobs.put(await this.#deps.sign(raw), 'committed');
    await this.#deps.repo.insert({ accountId, sender, recipients, blobId, nextAttemptAt: now, createdAt: now });
    this.runDue().catch((err: unknown) => this.#deps.log.error({ err }, 'relay pass failed'));
  }

  /** One pass over the due items; concurrent calls share the pass in progress. */
  runDue(): Promise<void> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async close(): Promise<void> {
    await this.#running?.catch(() => {});
    this.#transport?.close();
  }

  async #pass(): Promise<void> {
    if (!this.#deps.relayUrl) return;
    const now = this.#deps.clock.now();
    for (const item of await this.#deps.repo.due(now, 50)) {
      if (!(await this.#deps.repo.claim(item.id, item.nextAttemptAt, new Date(now.getTime() + relayTimeouts.leaseMs)))) continue;
      await this.#attempt(item).catch((err: unknown) => this.#deps.log.error({ err, item: item.id }, 'relay attempt failed unexpectedly'));
    }
  }

  async #attempt(item: OutboundItem): Promise<void> {
    const raw = await this.#deps.blobs.get(item.blobId);
    if (!raw) {
      await this.#deps.repo.remove(item.id);
      return;
    }
    try {
      this.#transport ??= nodemailer.createTransport({
        url: this.#deps.relayUrl,
        connectionTimeout: relayTimeouts.connectionMs,
        greetingTimeout: relayTimeouts.greetingMs,
        socketTimeout: relayTimeouts.socketMs,
      });
      await deadline(this.#transport.sendMail({ envelope: { from: item.sender, to: item.recipients }, raw }), relayTimeouts.attemptMs, () => new Error(`no answer from the relay within ${relayTimeouts.attemptMs / 1000} s`));
      await this.#deps.repo.remove(item.id);
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      const reason = (err as Error).message ?? String(err);
      const attempts = item.attempts + 1;
      const permanent = typeof code === 'number' && code >= 500;
      if (permanent || attempts > retryMinutes.length) {
        await this.#bounce(item, raw, reason);
        await this.#deps.repo.remove(item.id);
      } else {
        const next = new Date(this.#deps.clock.now().getTime() + retryMinutes[attempts - 1] * 60_000);
        await this.#deps.repo.reschedule(item.id, attempts, next, reason);
      }
    }
  }

  async #bounce(item: OutboundItem, original: Buffer, reason: string): Promise<void> {
    const account = item.accountId ? await this.#deps.accounts.findById(item.accountId) : undefined;
    if (!account) return;
    const dsn = buildBounce({ hostname: this.#deps.hostname, sender: item.sender, recipients: item.recipients, reason, original, now: this.#deps.clock.now() });
    await this.#deps.mail.deliver(account.id, dsn).catch((err: unknown) => this.#deps.log.warn({ err, item: item.id }, 'bounce could not be delivered'));
  }
}
