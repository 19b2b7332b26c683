import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../../src/context.ts';
import { resetTwoFactor } from '../../../src/core/helpDesk.ts';
import { rememberedLoginTtlMs } from '../../../src/core/rememberedLogins.ts';
import { FakeClock } from '../../helpers/clock.ts';
import { fakeTwoFactor, testPostern, twoNodes } from '../../helpers/context.ts';

// JMAP clients authenticate every request: a client-password login is remembered for seconds
// (src/core/rememberedLogins.ts), and must still stop working the moment it is revoked.
const clock = new FakeClock(Date.now());
const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let n = 0;
before(async () => {
  env = await testPostern({ clock, twoFactor: twoFactor.state });
  ctx = env.ctx;
});
after(() => env.cleanup());

const session = (url: string, user: string, password: string) =>
  fetch(`${url}/jmap/session`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } }).then((r) => r.status);

async function client(expiresInDays?: 30) {
  const account = await ctx.accounts.create({ address: `basic${n++}@example.edu`, password: 'a long test passphrase' });
  twoFactor.on.add(account.id);
  const app = await ctx.appPasswords.create(account.id, 'Thunderbird', ['jmap'], { expiresInDays });
  assert.equal(await session(env.postern.url, account.address, app.password), 200);
  assert.equal(await session(env.postern.url, account.address, app.password), 200, 'remembered');
  return { account, app, status: () => session(env.postern.url, account.address, app.password) };
}

test('X9 E1 a deleted client password is refused by JMAP at once, though its logins are remembered', async () => {
  const { account, app, status } = await client();
  await ctx.appPasswords.remove(account.id, app.record.id);
  assert.equal(await status(), 401);
});

test('X9 disabling the account or resetting its 2FA refuses its remembered JMAP logins at once', async () => {
  const a = await client();
  await ctx.accounts.setDisabled(a.account, true);
  assert.equal(await a.status(), 403);
  const b = await client();
  await resetTwoFactor(ctx, b.account.id, { note: 'ticket 2, ID checked' }, { ip: null, userAgent: null });
  assert.equal(await b.status(), 401);
});

test('X11 a remembered client password stops at its expiry; the main password is never remembered past 2FA', async () => {
  const { account, status } = await client(30);
  clock.advance(30 * 86_400_000 + 1000);
  assert.equal(await status(), 401);
  twoFactor.on.delete(account.id);
  assert.equal(await session(env.postern.url, account.address, 'a long test passphrase'), 200, 'E4 main password with 2FA off');
  twoFactor.on.add(account.id);
  assert.equal(await session(env.postern.url, account.address, 'a long test passphrase'), 401, 'E1 refused once 2FA is on');
});

test('X5 a change without a revocation (the domain requires 2FA, no grace) refuses remembered JMAP logins within the remembered time', async () => {
  const { account, status } = await client();
  twoFactor.on.delete(account.id);
  await ctx.policy.set('example.edu', { twoFactor: 'required', graceDays: 0 });
  try {
    clock.advance(rememberedLoginTtlMs + 1);
    assert.equal(await status(), 401);
  } finally {
    await ctx.policy.set('example.edu', { twoFactor: 'off', graceDays: 0 });
  }
});

test('X9 across two nodes over Redis: a client password deleted on node B is refused by JMAP on node A within the remembered time', async () => {
  const { nodeA, nodeB, cleanup } = await twoNodes();
  try {
    const account = await nodeB.ctx.accounts.create({ address: `jmap-nodes-${process.pid}-${Date.now()}@example.edu`, password: 'a long test passphrase' });
    const app = await nodeB.ctx.appPasswords.create(account.id, 'phone', ['jmap']);
    const onA = () => session(nodeA.postern.url, account.address, app.password);
    assert.equal(await onA(), 200, 'node A lets the client in');
    assert.equal(await onA(), 200, 'node A lets it in again (remembered)');
    await nodeB.ctx.appPasswords.remove(account.id, app.record.id);
    assert.equal(await session(nodeB.postern.url, account.address, app.password), 401, 'at once on the node that deleted it');
    const deadline = Date.now() + rememberedLoginTtlMs;
    let status = await onA();
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = await onA();
    }
    assert.equal(status, 401, 'refused on node A');
  } finally {
    await cleanup();
  }
});
