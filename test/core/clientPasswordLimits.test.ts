import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { clientAuthMessage } from '../../src/core/clientAuth.ts';
import { PosternError } from '../../src/core/errors.ts';
import { FakeClock } from '../helpers/clock.ts';
import { fakeTwoFactor, testContext } from '../helpers/context.ts';

const twoFactor = fakeTwoFactor();
const clock = new FakeClock(Date.now());
let ctx: Context;
let cleanup: () => Promise<void>;
before(async () => ({ ctx, cleanup } = await testContext({ twoFactor: twoFactor.state, clock })));
after(() => cleanup());

const login = (username: string, password: string, remoteIp: string) => ctx.authenticateClient({ protocol: 'imap', username, password, remoteIp });

test('X11 a client password may expire (30/90/365 days): afterwards it is refused with a telling message, audited once an hour', async () => {
  const a = await ctx.accounts.create({ address: 'expiry@example.edu', password: 'a long test passphrase' });
  twoFactor.on.add(a.id);
  const { record, password } = await ctx.appPasswords.create(a.id, 'iPad', undefined, { expiresInDays: 30 });
  assert.equal(record.expiresAt?.getTime(), clock.now().getTime() + 30 * 86_400_000);
  assert.equal((await login(a.address, password, '192.0.2.1')).ok, true);
  clock.advance(30 * 86_400_000);
  assert.deepEqual(await login(a.address, password, '192.0.2.1'), { ok: false, reason: 'expired' });
  assert.deepEqual(await login(a.address, password, '192.0.2.1'), { ok: false, reason: 'expired' });
  assert.match(clientAuthMessage('expired'), /^该客户端专用密码已过期.* \/ this client-specific password has expired/);
  const refused = (await ctx.audit.list(a.id)).filter((e) => e.type === 'app_password_refused');
  assert.deepEqual(refused.map((e) => [e.detail.name, e.detail.reason]), [['iPad', 'password_expired']]);
  await assert.rejects(ctx.appPasswords.create(a.id, 'x', undefined, { expiresInDays: 7 }), (e: unknown) => e instanceof PosternError && e.code === 'invalid_app_password_expiry');
});

test('X11 a client password may be limited to networks (CIDR): from elsewhere it is refused and audited; IPv4-mapped addresses count as IPv4', async () => {
  const a = await ctx.accounts.create({ address: 'cidr@example.edu', password: 'a long test passphrase' });
  twoFactor.on.add(a.id);
  const { password, record } = await ctx.appPasswords.create(a.id, '办公室 Foxmail', undefined, { networks: ['202.202.0.0/16', '2001:db8::/32', '198.51.100.7'] });
  assert.deepEqual(record.networks, ['202.202.0.0/16', '2001:db8::/32', '198.51.100.7/32']);
  for (const ip of ['202.202.1.9', '::ffff:202.202.200.1', '2001:db8:5::1', '198.51.100.7']) assert.equal((await login(a.address, password, ip)).ok, true, ip);
  for (const ip of ['202.203.0.1', '2001:db9::1', '198.51.100.8']) assert.deepEqual(await login(a.address, password, ip), { ok: false, reason: 'network' }, ip);
  const refused = (await ctx.audit.list(a.id)).filter((e) => e.type === 'app_password_refused');
  assert.equal(refused[0].detail.reason, 'outside_networks');
  for (const bad of [['10.0.0.0/33'], ['not a network'], ['10.0.0.0/8/1'], Array.from({ length: 21 }, (_, i) => `10.0.${i}.0/24`)]) {
    await assert.rejects(ctx.appPasswords.create(a.id, 'x', undefined, { networks: bad }), (e: unknown) => e instanceof PosternError && /app_password_networks/.test(e.code), bad.join());
  }
});

test('X4 X11 a client password used from a new network for the first time tells the owner (not its very first use)', async () => {
  const a = await ctx.accounts.create({ address: 'roaming@example.edu', password: 'a long test passphrase' });
  twoFactor.on.add(a.id);
  const { password } = await ctx.appPasswords.create(a.id, '手机 Outlook');
  assert.equal((await login(a.address, password, '203.0.113.5')).ok, true);
  assert.equal((await login(a.address, password, '203.0.113.77')).ok, true, 'same /24');
  assert.equal((await login(a.address, password, '198.18.0.1')).ok, true);
  assert.equal((await login(a.address, password, '198.18.0.2')).ok, true);
  await ctx.notices.settled();
  const events = (await ctx.audit.list(a.id)).filter((e) => e.type === 'app_password_new_network');
  assert.deepEqual(events.map((e) => [e.ip, e.detail.name]), [['198.18.0.1', '手机 Outlook']]);
  const inbox = await ctx.mail.mailbox(a.id, 'INBOX');
  assert.ok((await ctx.mail.messages(inbox.id)).some((m) => m.subject === '【安全提醒】您的客户端专用密码在新网络中使用'));
});
