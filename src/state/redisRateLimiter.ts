import type { Redis } from 'ioredis';
import type { RateLimiter } from '../core/ports.ts';
import { redisClient, type RedisWatch } from './redisClient.ts';

// INCR within the window's key, undone when it went over the limit; the key expires with its window.
const consumeScript = `
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if used > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return -1 end
return used`;

const refundScript = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Fixed-window counters in Redis, for many nodes when POSTERN_REDIS_URL is set. */
export function redisRateLimiter(redis: Redis, prefix = 'postern:rl:'): RateLimiter & { close(): Promise<void> } {
  const windowKey = (key: string, windowMs: number, now: Date) => {
    const start = Math.floor(now.getTime() / windowMs) * windowMs;
    return { name: `${prefix}${key}:${start}`, retryAfterMs: start + windowMs - now.getTime() };
  };
  return {
    async consume(key, limit, windowMs, now) {
      const { name, retryAfterMs } = windowKey(key, windowMs, now);
      const used = Number(await redis.eval(consumeScript, 1, name, String(limit), String(retryAfterMs + 1000)));
      return used < 0 ? { ok: false, used: limit, retryAfterMs } : { ok: true, used, retryAfterMs };
    },
    async peek(key, windowMs, now) {
      const { name, retryAfterMs } = windowKey(key, windowMs, now);
      return { used: Number((await redis.get(name)) ?? 0), retryAfterMs };
    },
    async refund(key, windowMs, now) {
      await redis.eval(refundScript, 1, windowKey(key, windowMs, now).name);
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function connectRedisRateLimiter(url: string, watch: RedisWatch = { down() {}, up() {} }) {
  return redisRateLimiter(redisClient(url, watch, { subscriber: false }));
}
