import { randomBytes } from 'node:crypto';
import { noTransactions, type Atomic, type AuditEvent, type AuditRepo, type Clock, type SignInSource } from './ports.ts';
import type { SideEffect } from './sideEffects.ts';

/** Security events an account's owner and the administrators can read back (SPEC X5, X6). */
export const auditTypes = [
  'method_bound',
  'method_unbound',
  'method_changed',
  'device_trusted',
  'device_trust_removed',
  'device_trust_removed_all',
  'login_succeeded',
  'login_failed',
  'second_factor_failed',
  'second_factor_locked',
  'app_password_created',
  'app_password_deleted',
  'password_changed',
  'admin_reset_2fa',
  'app_password_refused',
  'app_password_new_network',
  'lockout_started',
  'step_up_succeeded',
  'step_up_failed',
  'step_up_failed_repeatedly',
  'signed_out_everywhere',
  'account_disabled',
  'account_enabled',
  'account_created',
  'quota_changed',
  'admin_flag_changed',
  'alias_added',
  'alias_removed',
  'two_factor_exempted',
  'two_factor_exemption_removed',
  'two_factor_reminder',
  'domain_added',
  'domain_removed',
  'domain_policy_changed',
  'help_contacts_changed',
] as const;
export type AuditType = (typeof auditTypes)[number];

/** What `eventId` makes: 9 base-36 digits of time, 4 of sequence, 8 random characters. */
export const auditEventId = /^[0-9a-z]{13}[A-Za-z0-9_-]{8}$/;

/** Where a request came from, as recorded with events and shown in verification mails. */
export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
  /** Who acted from the command line (`user@host`); every event it causes records it. */
  operator?: string;
}

let sequence = 0;

/** Ids sort like the events' order, also within one millisecond: time, then a per-process sequence. */
function eventId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  return at.getTime().toString(36).padStart(9, '0') + sequence.toString(36).padStart(4, '0') + randomBytes(6).toString('base64url');
}

/** Where the side effects reporting an event are stored (with the event) and then started. */
export interface AuditEffects {
  add(items: SideEffect[]): Promise<void>;
  start(items: SideEffect[]): void;
}

export interface AuditOptions {
  /** The transaction an event and its side effects are written in (and joins the change's, when it has one). */
  atomic?: Atomic;
  effects?: AuditEffects;
}

export class Audit {
  readonly #repo: AuditRepo;
  readonly #clock: Clock;
  readonly #atomic: Atomic;
  readonly #effects: AuditEffects | undefined;
  readonly #listeners: ((event: AuditEvent) => void)[] = [];
  readonly #reporters: ((event: AuditEvent) => SideEffect[])[] = [];

  constructor(repo: AuditRepo, clock: Clock, options: AuditOptions = {}) {
    this.#repo = repo;
    this.#clock = clock;
    this.#atomic = options.atomic ?? noTransactions;
    this.#effects = options.effects;
  }

  async record(accountId: string | null, type: AuditType, request: RequestInfo, detail: AuditEvent['detail'] = {}): Promise<void> {
    const at = this.#clock.now();
    const event: AuditEvent = { id: eventId(at), accountId, type, at, ip: request.ip, userAgent: request.userAgent, detail: request.operator ? { ...detail, operator: request.operator } : detail };
    const effects = this.#effects ? this.#reporters.flatMap((report) => report(event)) : [];
    // One row is written atomically by itself (or joins the change's transaction, when there is one).
    if (effects.length === 0) await this.#repo.insert(event);
    else {
      await this.#atomic.run(async () => {
        await this.#repo.insert(event);
        await this.#effects!.add(effects);
      });
    }
    this.#atomic.afterCommit(() => {
      if (effects.length > 0) this.#effects!.start(effects);
      for (const listener of this.#listeners) listener(event);
    });
  }

  /** Called after each recorded event has committed; a listener must not throw and must not make the recording wait. */
  onRecord(listener: (event: AuditEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Side effects that report an event, written in its transaction and sent once it commits (by any node). */
  reports(reporter: (event: AuditEvent) => SideEffect[]): void {
    this.#reporters.push(reporter);
  }

  get(id: string): Promise<AuditEvent | undefined> {
    return this.#repo.get(id);
  }

  /** Where the account's recent successful sign-ins came from (the new-device check, newDevices.ts). */
  recentSignIns(accountId: string, limit: number): Promise<SignInSource[]> {
    return this.#repo.recentSignIns(accountId, limit);
  }

  /** Newest first; with `before` (an event's id, matching `auditEventId`) only the events older than that one. */
  list(accountId: string, limit = 100, before?: string): Promise<AuditEvent[]> {
    const cursor = before ? { at: new Date(parseInt(before.slice(0, 9), 36)), id: before } : undefined;
    return this.#repo.list(accountId, Math.min(Math.max(limit, 1), 1000), cursor);
  }
}
