import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testPostern } from '../helpers/context.ts';

type Check = { name: string; status: string };
const summary = (body: { status: string; checks: Check[] }) => [body.status, body.checks.map((c) => `${c.name}:${c.status}`)];

async function probe(env: Record<string, string>) {
  const server = await testPostern({}, env);
  try {
    const health = await server.postern.web.inject('/healthz');
    const ready = await server.postern.web.inject('/readyz');
    return { health: [health.statusCode, ...summary(health.json())], ready: ready.statusCode };
  } finally {
    await server.cleanup();
  }
}

test('O1 /healthz reports the database and Redis each; /readyz 200 while the database answers', async () => {
  assert.deepEqual(await probe({}), { health: [200, 'ok', ['database:ok']], ready: 200 });
  assert.deepEqual(await probe({ POSTERN_REDIS_URL: 'redis://127.0.0.1:6379' }), { health: [200, 'ok', ['database:ok', 'redis:ok']], ready: 200 });
});

test('O1 with Redis unreachable /healthz says degraded and names Redis; /readyz stays 200', async () => {
  const started = Date.now();
  // Port 1 on loopback: nothing listens there.
  const { health, ready } = await probe({ POSTERN_REDIS_URL: 'redis://127.0.0.1:1' });
  assert.deepEqual(health, [200, 'degraded', ['database:ok', 'redis:unavailable']]);
  assert.equal(ready, 200, 'logins still reach the database, so the node stays in the balancer');
  assert.ok(Date.now() - started < 10_000);
});
