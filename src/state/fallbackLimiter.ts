import type { RateLimiter } from '../core/ports.ts';

/** How long limits stay on the fallback after Redis failed, before Redis is tried again. */
export const fallbackHoldMs = 5000;

/**
 * Limits on Redis, and on the database while Redis is away: every limit keeps holding on every
 * node (counted afresh in the database), logins never hang on Redis and never fail because of it.
 * Counts of the current window made in Redis are not carried over, so an attacker gains at most
 * one window's worth of tries per outage; nobody is locked out by the switch.
 */
export function fallbackLimiter(primary: RateLimiter, fallback: RateLimiter, onFallback: (err: Error) => void): RateLimiter {
  let holdUntil = 0;
  const run = async <T>(work: (l: RateLimiter) => Promise<T>): Promise<T> => {
    if (Date.now() < holdUntil) return work(fallback);
    try {
      return await work(primary);
    } catch (err) {
      holdUntil = Date.now() + fallbackHoldMs;
      onFallback(err as Error);
      return work(fallback);
    }
  };
  return {
    consume: (key, limit, windowMs, now) => run((l) => l.consume(key, limit, windowMs, now)),
    peek: (key, windowMs, now) => run((l) => l.peek(key, windowMs, now)),
    refund: (key, windowMs, now) => run((l) => l.refund(key, windowMs, now)),
  };
}
