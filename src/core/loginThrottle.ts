import { failureLimits } from './failureLimits.ts';
import { PosternError } from './errors.ts';
import type { Clock, RateLimiter } from './ports.ts';

/**
 * Password guessing is limited per IP first (many accounts from one place) and then per account
 * and IP together, so an attacker who gets locked out does not lock the real user out elsewhere.
 */
export function loginThrottle(limiter: RateLimiter, clock: Clock) {
  const gate = failureLimits(limiter, clock, 15 * 60_000);
  const limits = (ip: string, address: string): [string, number][] => [
    [`login_ip:${ip}`, 100],
    [`login_account_ip:${address.trim().toLowerCase().slice(0, 254)}|${ip}`, 10],
  ];

  return {
    /** Throws 429 ("try again in N minutes") while a limit is used up. */
    async check(ip: string, address: string): Promise<void> {
      const ms = await gate.retryAfterMs(limits(ip, address));
      if (ms) throw new PosternError('too_many_attempts', { minutes: Math.ceil(ms / 60_000) });
    },
    failed: (ip: string, address: string) => gate.failed(limits(ip, address)),
  };
}
