import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { sourceOf } from '../../src/core/networks.ts';
import { fakeTwoFactor, testContext } from '../helpers/context.ts';

const twoFactor = fakeTwoFactor();
let ctx: Context;
let cleanup: () => Promise<void>;
before(async () => ({ ctx, cleanup } = await testContext({ twoFactor: twoFactor.state })));
after(() => cleanup());

const login = (username: string, password: string, remoteIp: string) => ctx.authenticateClient({ protocol: 'imap', username, password, remoteIp });

test('X10 a phone retrying its old password 15 times counts as one failure: the right password still works', async () => {
  const a = await ctx.accounts.create({ address: 'repeat@example.edu', password: 'a long test passphrase' });
  for (let i = 0; i < 15; i++) assert.deepEqual(await login(a.address, 'the old password', '198.51.100.1'), { ok: false, reason: 'invalid' });
  const ok = await login(a.address, 'a long test passphrase', '198.51.100.1');
  assert.equal(ok.ok, true);
});

test('X10 the owner gets one security notice when a lockout of the account starts, however long the attack goes on', async () => {
  const a = await ctx.accounts.create({ address: 'target@example.edu', password: 'a long test passphrase' });
  for (let i = 0; i < 25; i++) await login(a.address, `guess ${i}`, `203.0.113.${i}`);
  assert.deepEqual(await login(a.address, 'a long test passphrase', '203.0.113.200'), { ok: false, reason: 'throttled' }, 'an unfamiliar source is locked out');
  await ctx.notices.settled();
  const events = (await ctx.audit.list(a.id)).filter((e) => e.type === 'lockout_started');
  assert.equal(events.length, 1);
  assert.equal(events[0].detail.channel, 'client');
  const inbox = await ctx.mail.mailbox(a.id, 'INBOX');
  const subjects = (await ctx.mail.messages(inbox.id)).map((m) => m.subject);
  assert.deepEqual(subjects, ['【安全提醒】您的邮箱密码错误次数过多，已暂时限制登录']);
});

test('X10 failures are counted per IPv4 address and per IPv6 /64', () => {
  assert.equal(sourceOf('192.0.2.7'), '192.0.2.7');
  assert.equal(sourceOf('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(sourceOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(sourceOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
  assert.equal(sourceOf('2001:db8::1'), '2001:db8:0:0::/64');
});
