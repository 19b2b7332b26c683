import { PosternError } from '../core/errors.ts';
import type { Clock, RateLimiter } from '../core/ports.ts';

const windowMs = 15 * 60_000;

/**
 * Password guessing is limited per IP first (many accounts from one place) and then per account
 * and IP together, so an attacker who gets locked out does not lock the real user out elsewhere.
 * Every attempt takes a unit; a right password gives its units back, so only failures add up.
 */
export function loginThrottle(limiter: RateLimiter, clock: Clock) {
  const limits = (ip: string, address: string): [string, number][] => [
    [`login_ip:${ip}`, 100],
    [`login_account_ip:${address.trim().toLowerCase().slice(0, 254)}|${ip}`, 10],
  ];

  return {
    /** Counts one attempt; throws 429 ("try again in N minutes") when a limit is used up. */
    async attempt(ip: string, address: string): Promise<void> {
      for (const [key, limit] of limits(ip, address)) {
        const r = await limiter.consume(key, limit, windowMs, clock.now());
        if (!r.ok) throw new PosternError('too_many_attempts', 429, { minutes: Math.max(1, Math.ceil(r.retryAfterMs / 60_000)) });
      }
    },
    async succeeded(ip: string, address: string): Promise<void> {
      for (const [key] of limits(ip, address)) await limiter.refund(key, windowMs, clock.now());
    },
  };
}
