// Connection caps shared by every node (per client IP before login, per account and IP after it):
// each open connection holds a slot, a member of a Redis sorted set scored by when it expires. A
// node refreshes its slots while their connections live; a dead node's slots expire by themselves.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisOrFallback } from './fallbackLimiter.ts';

/** Gives the slot back; safe to call more than once. */
export type Release = () => void;

export interface ConnectionSlots {
  /** Holds one of `limit` slots of `key` until released; undefined when all are taken. */
  acquire(key: string, limit: number): Promise<Release | undefined>;
  close(): void;
}

export function memorySlots(): ConnectionSlots {
  const held = new Map<string, number>();
  return {
    async acquire(key, limit) {
      const used = held.get(key) ?? 0;
      if (used >= limit) return undefined;
      held.set(key, used + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(key) ?? 1) - 1;
        if (left > 0) held.set(key, left);
        else held.delete(key);
      };
    },
    close() {},
  };
}

const acquireScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** A slot outlives its node by at most this long; nodes refresh theirs three times as often. */
export const slotTtlMs = 60_000;

/**
 * Slots in Redis; while Redis fails, a connection takes a slot of this node's own `fallback`
 * (the cap then holds per node: nobody is refused because Redis is away).
 */
export function redisSlots(redis: Redis, fallback: ConnectionSlots, onFallback: (err: Error) => void, prefix = 'postern:slots:'): ConnectionSlots {
  const node = randomBytes(6).toString('base64url');
  let next = 0;
  const held = new Map<string, string>();
  const refresh = setInterval(() => {
    if (held.size === 0) return;
    const expires = Date.now() + slotTtlMs;
    const batch = redis.pipeline();
    for (const [member, key] of held) batch.zadd(key, 'XX', expires, member).pexpire(key, slotTtlMs);
    batch.exec().catch(() => {});
  }, slotTtlMs / 3).unref();
  const run = redisOrFallback(onFallback);
  const acquire = async (name: string, limit: number): Promise<Release | undefined> => {
    const member = `${node}:${next++}`;
    const now = Date.now();
    const taken = await redis.eval(acquireScript, 1, name, String(now), String(limit), String(now + slotTtlMs), member, String(slotTtlMs));
    if (Number(taken) !== 1) return undefined;
    held.set(member, name);
    return () => {
      if (!held.delete(member)) return;
      redis.zrem(name, member).catch(() => {});
    };
  };
  return {
    acquire: (key, limit) => run(() => acquire(prefix + key, limit), () => fallback.acquire(key, limit)),
    close() {
      clearInterval(refresh);
    },
  };
}
