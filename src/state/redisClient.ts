import { Redis, type RedisOptions } from 'ioredis';

/** Told when a Redis connection is lost or refused and when it is back; each change once. */
export interface RedisWatch {
  down(err: Error): void;
  up(): void;
}

/** Limits of every Redis connection: a request never waits longer than this for Redis. */
export const redisTimeouts = { commandMs: 500, connectMs: 1000, maxReconnectDelayMs: 2000 };

/**
 * An ioredis connection that never crashes the node ('error' is handled) and never hangs a
 * request: a command fails after 500 ms, or as soon as a reconnection fails, and the caller falls
 * back. It reconnects by itself. A subscriber's SUBSCRIBEs wait instead, for as long as Redis is away.
 */
export function redisClient(url: string, watch: RedisWatch, options: { subscriber: boolean }): Redis {
  const extra: RedisOptions = options.subscriber ? {} : { maxRetriesPerRequest: 0, commandTimeout: redisTimeouts.commandMs };
  const redis = new Redis(url, {
    connectTimeout: redisTimeouts.connectMs,
    retryStrategy: (times) => Math.min(times * 200, redisTimeouts.maxReconnectDelayMs),
    ...extra,
  });
  let up = false;
  let down = false;
  redis.on('ready', () => {
    up = true;
    if (down) watch.up();
    down = false;
  });
  const lost = (err: Error) => {
    up = false;
    if (!down) watch.down(err);
    down = true;
  };
  redis.on('error', lost);
  redis.on('close', () => {
    if (up) lost(new Error('connection closed'));
  });
  return redis;
}
