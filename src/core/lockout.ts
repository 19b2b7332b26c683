import { createHmac } from 'node:crypto';
import { normalizeAddress } from './addresses.ts';
import { PosternError } from './errors.ts';
import { sourceOf } from './networks.ts';
import type { Clock, RateLimiter } from './ports.ts';

export type Channel = 'web' | 'client';

/** The numbers of the lockout policy (POSTERN_LOCKOUT_*). */
export interface LockoutLimits {
  windowMinutes: number;
  /** Failures from one source (IPv4 address, IPv6 /64), any account. */
  perIp: number;
  /** Failures for one account from one source. */
  perAccountIp: number;
  /** Failures for one account from every unfamiliar source together. */
  perAccount: Record<Channel, number>;
  /** Web: once an account has `delayAfter` failures, unfamiliar attempts wait base · 2ⁿ ms (at most 16 × base). */
  delayMs: number;
}

export const defaultLockoutLimits: LockoutLimits = { windowMinutes: 15, perIp: 50, perAccountIp: 10, perAccount: { web: 30, client: 10 }, delayMs: 500 };
const delayAfter = 5;
const maxDelayFactor = 16;
const noticeWindowMs = 24 * 3_600_000;

/** The address a failure is counted for: normalized when it is one, else as typed (bounded). */
export function lockoutAddress(input: string): string {
  try {
    return normalizeAddress(input).address;
  } catch {
    return input.trim().toLowerCase().slice(0, 320);
  }
}

/** One password attempt as the lockout sees it; `device` is the id of a verified device cookie. */
export interface Attempt {
  channel: Channel;
  ip: string;
  /** The address as typed, normalized when it is one. */
  address: string;
  device?: string;
}

export interface LockoutDeps {
  limiter: RateLimiter;
  clock: Clock;
  pepper: Buffer;
  limits: LockoutLimits;
  /** Called once when a lockout of `address` starts (at most once a day): the owner is told (SPEC X10). */
  onLockout(attempt: Attempt): Promise<void>;
}

/**
 * Password lockout that cannot be turned against the owner (SPEC X10, OWASP "device cookies"):
 * failures count per source and per (account, source); per account across sources only for
 * unfamiliar ones, so a browser with a valid device cookie is judged by its own failures alone
 * (and a valid client-specific password never reaches this gate). A wrong password repeated within
 * the window counts once: a phone retrying an old password is one failure, not a lockout. The
 * repeats are recognised by an HMAC under the pepper, never by the password.
 */
export class Lockout {
  readonly #d: LockoutDeps;
  readonly #windowMs: number;

  constructor(deps: LockoutDeps) {
    this.#d = deps;
    this.#windowMs = deps.limits.windowMinutes * 60_000;
  }

  #limits(a: Attempt): [key: string, limit: number][] {
    const { perIp, perAccountIp, perAccount } = this.#d.limits;
    const source = sourceOf(a.ip);
    if (a.device) return [[`lockout:${a.channel}:device:${a.device}`, perAccountIp]];
    return [
      [`lockout:${a.channel}:ip:${source}`, perIp],
      [`lockout:${a.channel}:account_ip:${a.address}|${source}`, perAccountIp],
      [this.#accountKey(a), perAccount[a.channel]],
    ];
  }

  #accountKey(a: Attempt): string {
    return `lockout:${a.channel}:account:${a.address}`;
  }

  /**
   * Before a password is checked: how long the source must wait before it may try again (0: it may
   * try now), and, for an unfamiliar browser when the account is under attack, how long to wait
   * before checking (the progressive delay; applied to right and wrong passwords alike).
   */
  async gate(a: Attempt): Promise<{ retryAfterMs: number; delayMs: number }> {
    const now = this.#d.clock.now();
    let delayMs = 0;
    for (const [key, limit] of this.#limits(a)) {
      const { used, retryAfterMs } = await this.#d.limiter.peek(key, this.#windowMs, now);
      if (used >= limit) return { retryAfterMs: Math.max(1, retryAfterMs), delayMs: 0 };
      if (key === this.#accountKey(a) && a.channel === 'web' && used >= delayAfter) {
        delayMs = Math.min(this.#d.limits.delayMs * 2 ** (used - delayAfter), this.#d.limits.delayMs * maxDelayFactor);
      }
    }
    return { retryAfterMs: 0, delayMs };
  }

  /** `gate` for the web: throws 429 while a limit is used up, else waits out the progressive delay. */
  async guard(a: Attempt): Promise<void> {
    const { retryAfterMs, delayMs } = await this.gate(a);
    if (retryAfterMs) throw new PosternError('too_many_attempts', { minutes: Math.ceil(retryAfterMs / 60_000) });
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  /** After a wrong password: counts it unless the same one failed for this address within the window. */
  async failed(a: Attempt, password: string): Promise<void> {
    const now = this.#d.clock.now();
    const seen = createHmac('sha256', this.#d.pepper).update(`lockout-repeat\0${a.address}\0${password}`).digest('base64url').slice(0, 22);
    const repeat = await this.#d.limiter.consume(`lockout:repeat:${a.address}:${seen}`, 1, this.#windowMs, now);
    if (!repeat.ok) return;
    for (const [key, limit] of this.#limits(a)) {
      const counted = await this.#d.limiter.consume(key, limit, this.#windowMs, now);
      if (key !== this.#accountKey(a) || counted.used !== limit || !counted.ok) continue;
      const first = await this.#d.limiter.consume(`lockout:notice:${a.address}`, 1, noticeWindowMs, now);
      if (first.ok) await this.#d.onLockout(a);
    }
  }
}
