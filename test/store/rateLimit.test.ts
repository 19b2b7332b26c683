import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { RateLimiter } from '../../src/core/ports.ts';
import { connectRedisRateLimiter } from '../../src/state/redisRateLimiter.ts';
import { fallbackLimiter } from '../../src/state/fallbackLimiter.ts';
import { databaseRateLimiter } from '../../src/store/rateLimitRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';

const hour = 60 * 60_000;
const start = new Date(Date.UTC(2026, 0, 1, 8, 0, 0));
const at = (ms: number) => new Date(start.getTime() + ms);

function limiterRules(limiter: () => RateLimiter) {
  test('a budget of N per window: N taken, then refused until the next window; refunds give back', async () => {
    const key = `k-${Math.random()}`;
    for (let i = 1; i <= 3; i++) assert.deepEqual(await limiter().consume(key, 3, hour, at(i)), { ok: true, used: i, retryAfterMs: hour - i });
    const refused = await limiter().consume(key, 3, hour, at(10 * 60_000));
    assert.equal(refused.ok, false);
    assert.equal(refused.retryAfterMs, 50 * 60_000);
    await limiter().refund(key, hour, at(11 * 60_000));
    assert.equal((await limiter().consume(key, 3, hour, at(12 * 60_000))).ok, true);
    assert.equal((await limiter().consume(key, 3, hour, at(13 * 60_000))).ok, false);
    assert.deepEqual(await limiter().consume(key, 3, hour, at(hour)), { ok: true, used: 1, retryAfterMs: hour });
  });

  test('peek reads the units used in the current window and takes none', async () => {
    const key = `r-${Math.random()}`;
    assert.deepEqual(await limiter().peek(key, hour, at(5)), { used: 0, retryAfterMs: hour - 5 });
    await limiter().consume(key, 3, hour, at(10));
    await limiter().consume(key, 3, hour, at(20));
    assert.deepEqual(await limiter().peek(key, hour, at(30)), { used: 2, retryAfterMs: hour - 30 });
    assert.deepEqual(await limiter().peek(key, hour, at(30)), { used: 2, retryAfterMs: hour - 30 });
    assert.equal((await limiter().peek(key, hour, at(hour + 1))).used, 0);
  });

  test('parallel consumers never exceed the budget', async () => {
    const key = `p-${Math.random()}`;
    const results = await Promise.all(Array.from({ length: 12 }, () => limiter().consume(key, 5, hour, at(0))));
    assert.equal(results.filter((r) => r.ok).length, 5);
  });
}

forEachDatabase('rate limiter in the database', (getStore) => {
  limiterRules(() => databaseRateLimiter(getStore().db));
});

const redis = connectRedisRateLimiter(process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15');
after(() => redis.close());
limiterRules(() => redis);

forEachDatabase('O1 rate limiter while Redis is unreachable', (getStore) => {
  // Redis "pointed at a dead port": every limit falls back to the database counters, at once.
  const dead = connectRedisRateLimiter('redis://127.0.0.1:1/0');
  const fallbacks: string[] = [];
  after(() => dead.close());
  let limiter: RateLimiter | undefined;
  limiterRules(() => (limiter ??= fallbackLimiter(dead, databaseRateLimiter(getStore().db), (err) => fallbacks.push(err.message))));
  test('O1 the fallback is told (logged, counted in /metrics), and no check waits longer than the 500 ms Redis timeout', async () => {
    const limiter = fallbackLimiter(dead, databaseRateLimiter(getStore().db), (err) => fallbacks.push(err.message));
    const started = Date.now();
    assert.equal((await limiter.consume(`k-${Math.random()}`, 1, hour, at(0))).ok, true);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    assert.ok(fallbacks.length >= 1);
  });
});
