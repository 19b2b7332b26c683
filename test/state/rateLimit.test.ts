import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createRateLimits } from '../../src/state/rateLimit.ts';

for (const [kind, url] of [['memory', undefined], ['redis', process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0']] as const) {
  describe(`rate limits [${kind}]`, () => {
    const limits = createRateLimits(url);
    after(() => limits.close());
    // A fresh name per run: Redis keeps counts between runs.
    const rule = { name: `test_${randomBytes(4).toString('hex')}`, points: 3, windowSeconds: 60, blockSeconds: 600 };

    test('the failure that reaches the limit blocks the key for the block time; other keys are free', async () => {
      const limiter = limits.limiter(rule);
      assert.equal(await limiter.hit('a'), 0);
      assert.equal(await limiter.hit('a'), 0);
      assert.equal(await limiter.blockedFor('a'), 0);
      assert.equal(await limiter.hit('a'), 600_000);
      const left = await limiter.blockedFor('a');
      assert.ok(left > 590_000 && left <= 600_000, String(left));
      assert.equal(await limiter.blockedFor('b'), 0);
    });

    test('reset clears a key', async () => {
      const limiter = limits.limiter({ ...rule, name: `${rule.name}_r` });
      for (let i = 0; i < 3; i++) await limiter.hit('k');
      assert.ok((await limiter.blockedFor('k')) > 0);
      await limiter.reset('k');
      assert.equal(await limiter.blockedFor('k'), 0);
    });
  });
}

test('two nodes on one Redis share the counts', async () => {
  const url = process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const [one, two] = [createRateLimits(url), createRateLimits(url)];
  try {
    const rule = { name: `shared_${randomBytes(4).toString('hex')}`, points: 2, windowSeconds: 60, blockSeconds: 60 };
    await one.limiter(rule).hit('ip');
    await two.limiter(rule).hit('ip');
    assert.ok((await one.limiter(rule).blockedFor('ip')) > 0);
    const direct = new Redis(url);
    assert.equal(await direct.exists(`postern:${rule.name}:ip`), 1, 'the count lives in Redis');
    direct.disconnect();
  } finally {
    await one.close();
    await two.close();
  }
});
