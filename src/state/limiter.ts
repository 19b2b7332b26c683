import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Counts failures per key in a time window; in memory on one node, in Redis when several share it. */
export interface FailureLimiter {
  blocked(key: string): Promise<boolean>;
  /** Milliseconds until the key may try again; 0 when it may now. */
  blockedFor(key: string): Promise<number>;
  /** Counts one failure; returns how long the key is now blocked (0: not blocked). */
  fail(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

export interface FailureLimit {
  prefix: string;
  failures: number;
  windowSeconds: number;
  /** Once the limit is reached the key is blocked this long; by default until the window ends. */
  blockSeconds?: number;
}

export function failureLimiter(options: FailureLimit, redis?: Redis): FailureLimiter {
  const opts = { keyPrefix: options.prefix, points: options.failures, duration: options.windowSeconds };
  // If Redis is unreachable, counting goes on in memory rather than letting every attempt through.
  const limiter: RateLimiterAbstract = redis ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) }) : new RateLimiterMemory(opts);
  const blockedFor = (r: RateLimiterRes | null) => (r && r.consumedPoints >= options.failures ? Math.max(1, r.msBeforeNext) : 0);
  return {
    async blocked(key) {
      return blockedFor(await limiter.get(key)) > 0;
    },
    async blockedFor(key) {
      return blockedFor(await limiter.get(key));
    },
    async fail(key) {
      // Over the limit is what we count towards, not an error.
      const r = await limiter.consume(key).catch((err: unknown) => {
        if (err instanceof RateLimiterRes) return err;
        throw err;
      });
      if (r.consumedPoints < options.failures) return 0;
      if (!options.blockSeconds) return Math.max(1, r.msBeforeNext);
      await limiter.block(key, options.blockSeconds);
      return options.blockSeconds * 1000;
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
