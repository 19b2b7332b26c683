import type { Clock, RateLimiter } from './ports.ts';

/**
 * Limits on failed password attempts: a read to check, a write only when an attempt fails, so the
 * many successful client logins cost no database write. Parallel guesses can overshoot a limit by
 * the few in flight, which password throttling tolerates; second-step codes reserve a unit before
 * every check instead (verifications.ts).
 */
export function failureLimits(limiter: RateLimiter, clock: Clock, windowMs: number) {
  return {
    /** Milliseconds until the first exhausted limit frees up; 0 when every limit has room. */
    async retryAfterMs(limits: [key: string, limit: number][]): Promise<number> {
      for (const [key, limit] of limits) {
        const { used, retryAfterMs } = await limiter.peek(key, windowMs, clock.now());
        if (used >= limit) return Math.max(1, retryAfterMs);
      }
      return 0;
    },
    async failed(limits: [key: string, limit: number][]): Promise<void> {
      for (const [key, limit] of limits) await limiter.consume(key, limit, windowMs, clock.now());
    },
  };
}
