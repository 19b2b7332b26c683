import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Counts failures per key in a time window; in memory on one node, in Redis when several share it. */
export interface FailureLimiter {
  blocked(key: string): Promise<boolean>;
  fail(key: string): Promise<void>;
}

export function failureLimiter(options: { prefix: string; failures: number; windowSeconds: number }, redis?: Redis): FailureLimiter {
  const opts = { keyPrefix: options.prefix, points: options.failures, duration: options.windowSeconds };
  const limiter: RateLimiterAbstract = redis ? new RateLimiterRedis({ ...opts, storeClient: redis }) : new RateLimiterMemory(opts);
  return {
    async blocked(key) {
      const r = await limiter.get(key);
      return !!r && r.consumedPoints >= options.failures;
    },
    async fail(key) {
      await limiter.consume(key).catch((err: unknown) => {
        // Over the limit is what we count towards, not an error.
        if (!(err instanceof RateLimiterRes)) throw err;
      });
    },
  };
}
