import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { failureLimiter } from '../../src/state/limiter.ts';

const redisUrl = process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
// A fresh prefix per run: Redis keeps counts between runs.
const prefix = () => `test-${randomBytes(4).toString('hex')}`;

for (const kind of ['memory', 'redis'] as const) {
  describe(`failure limiter [${kind}]`, () => {
    const redis = kind === 'redis' ? new Redis(redisUrl) : undefined;
    after(() => redis?.disconnect());

    test('the failure that reaches the limit blocks the key for the block time; other keys are free', async () => {
      const limiter = failureLimiter({ prefix: prefix(), failures: 3, windowSeconds: 60, blockSeconds: 600 }, redis);
      assert.equal(await limiter.fail('a'), 0);
      assert.equal(await limiter.fail('a'), 0);
      assert.equal(await limiter.blocked('a'), false);
      assert.equal(await limiter.fail('a'), 600_000);
      const left = await limiter.blockedFor('a');
      assert.ok(left > 590_000 && left <= 600_000, String(left));
      assert.equal(await limiter.blocked('a'), true);
      assert.equal(await limiter.blockedFor('b'), 0);
    });

    test('without a block time the key is blocked until the window ends', async () => {
      const limiter = failureLimiter({ prefix: prefix(), failures: 2, windowSeconds: 60 }, redis);
      await limiter.fail('k');
      const ms = await limiter.fail('k');
      assert.ok(ms > 50_000 && ms <= 60_000, String(ms));
    });

    test('reset clears a key', async () => {
      const limiter = failureLimiter({ prefix: prefix(), failures: 3, windowSeconds: 60 }, redis);
      for (let i = 0; i < 3; i++) await limiter.fail('k');
      assert.equal(await limiter.blocked('k'), true);
      await limiter.reset('k');
      assert.equal(await limiter.blockedFor('k'), 0);
    });
  });
}

test('two nodes on one Redis share the counts', async () => {
  const [one, two, direct] = [new Redis(redisUrl), new Redis(redisUrl), new Redis(redisUrl)];
  try {
    const options = { prefix: prefix(), failures: 2, windowSeconds: 60 };
    await failureLimiter(options, one).fail('ip');
    await failureLimiter(options, two).fail('ip');
    assert.equal(await failureLimiter(options, one).blocked('ip'), true);
    assert.equal(await direct.exists(`${options.prefix}:ip`), 1, 'the count lives in Redis');
  } finally {
    for (const r of [one, two, direct]) r.disconnect();
  }
});
