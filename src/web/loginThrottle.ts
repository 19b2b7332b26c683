import { PosternError } from '../core/errors.ts';
import type { RateLimits } from '../state/rateLimit.ts';

/**
 * Password guessing is limited per IP first (many accounts from one place) and then per account
 * and IP together, so an attacker who gets locked out does not lock the real user out elsewhere.
 */
export function loginThrottle(limits: RateLimits) {
  const perIp = limits.limiter({ name: 'login_ip', points: 100, windowSeconds: 900, blockSeconds: 900 });
  const perAccountIp = limits.limiter({ name: 'login_account_ip', points: 10, windowSeconds: 900, blockSeconds: 900 });
  const accountKey = (ip: string, address: string) => `${address.trim().toLowerCase().slice(0, 254)}|${ip}`;
  const tooMany = (ms: number) => new PosternError('too_many_attempts', 429, { minutes: Math.ceil(ms / 60_000) });

  return {
    /** Throws 429 while either limit blocks this attempt. */
    async check(ip: string, address: string): Promise<void> {
      const ms = Math.max(await perIp.blockedFor(ip), await perAccountIp.blockedFor(accountKey(ip, address)));
      if (ms) throw tooMany(ms);
    },
    /** Counts a wrong password; throws 429 when that was one too many. */
    async failed(ip: string, address: string): Promise<void> {
      const ms = Math.max(await perIp.hit(ip), await perAccountIp.hit(accountKey(ip, address)));
      if (ms) throw tooMany(ms);
    },
    async succeeded(ip: string, address: string): Promise<void> {
      await perAccountIp.reset(accountKey(ip, address));
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
