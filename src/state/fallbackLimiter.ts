import type { RateLimiter } from '../core/ports.ts';

/** How long work stays on the fallback after Redis failed, before Redis is tried again. */
export const fallbackHoldMs = 5000;

/**
 * Runs work on Redis, or on its fallback when Redis fails and for the next 5 s: while Redis is away
 * only one request in 5 s waits for its timeout.
 */
export function redisOrFallback(onFallback: (err: Error) => void) {
  let holdUntil = 0;
  return async <T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    if (Date.now() < holdUntil) return fallback();
    try {
      return await primary();
    } catch (err) {
      holdUntil = Date.now() + fallbackHoldMs;
      onFallback(err as Error);
      return fallback();
    }
  };
}

/**
 * Limits on Redis, and on the database while Redis is away: every limit keeps holding on every
 * node (counted afresh in the database), logins never hang on Redis and never fail because of it.
 * Counts of the current window made in Redis are not carried over, so an attacker gains at most
 * one window's worth of tries per outage; nobody is locked out by the switch.
 */
export function fallbackLimiter(primary: RateLimiter, fallback: RateLimiter, onFallback: (err: Error) => void): RateLimiter {
  const run = redisOrFallback(onFallback);
  return {
    consume: (key, limit, windowMs, now) => run(() => primary.consume(key, limit, windowMs, now), () => fallback.consume(key, limit, windowMs, now)),
    peek: (key, windowMs, now) => run(() => primary.peek(key, windowMs, now), () => fallback.peek(key, windowMs, now)),
    refund: (key, windowMs, now) => run(() => primary.refund(key, windowMs, now), () => fallback.refund(key, windowMs, now)),
  };
}
