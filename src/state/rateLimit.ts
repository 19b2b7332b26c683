import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';

/** `points` failures within `windowSeconds` block the key for `blockSeconds`. */
export interface LimitRule {
  name: string;
  points: number;
  windowSeconds: number;
  blockSeconds: number;
}

export interface Limiter {
  /** Milliseconds until the key may try again; 0 when it may now. */
  blockedFor(key: string): Promise<number>;
  /** Counts one failure; returns how long the key is now blocked (0: not blocked). */
  hit(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

export interface RateLimits {
  limiter(rule: LimitRule): Limiter;
  close(): Promise<void>;
}

const isRes = (value: unknown): value is RateLimiterRes => typeof value === 'object' && value !== null && 'msBeforeNext' in value;

function wrap(store: RateLimiterAbstract, rule: LimitRule): Limiter {
  const blocked = (res: RateLimiterRes | null) => (res && res.consumedPoints >= rule.points ? Math.max(1, res.msBeforeNext) : 0);
  return {
    async blockedFor(key) {
      return blocked(await store.get(key));
    },
    async hit(key) {
      let res: RateLimiterRes;
      try {
        res = await store.consume(key);
      } catch (rejection) {
        if (!isRes(rejection)) throw rejection;
        res = rejection;
      }
      if (res.consumedPoints < rule.points) return 0;
      await store.block(key, rule.blockSeconds);
      return rule.blockSeconds * 1000;
    },
    async reset(key) {
      await store.delete(key);
    },
  };
}

/** Rate limits in this process (one node) or in Redis (many nodes share the counts). */
export function createRateLimits(redisUrl?: string): RateLimits {
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  return {
    limiter(rule) {
      const options = { keyPrefix: `postern:${rule.name}`, points: rule.points, duration: rule.windowSeconds };
      // If Redis is unreachable, counting goes on in memory rather than letting every attempt through.
      const memory = new RateLimiterMemory(options);
      return wrap(redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory, rule);
    },
    async close() {
      redis?.disconnect();
    },
  };
}
