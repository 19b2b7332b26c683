import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientAuthMessage } from '../../src/core/clientAuth.ts';
import { normalizeAppPassword } from '../../src/core/appPasswords.ts';
import type { Context } from '../../src/context.ts';
import { fakeTwoFactor, testContext } from '../helpers/context.ts';

const twoFactor = fakeTwoFactor();
let ctx: Context;
let cleanup: () => Promise<void>;
before(async () => ({ ctx, cleanup } = await testContext({ twoFactor: twoFactor.state })));
after(() => cleanup());

let n = 0;
const login = (username: string, password: string, protocol: 'imap' | 'pop3' | 'smtp' = 'smtp', remoteIp = `10.0.0.${n++ % 250}`) =>
  ctx.authenticateClient({ protocol, username, password, remoteIp });

test('E4 with 2FA off the main password and an app password both pass', async () => {
  const a = await ctx.accounts.create({ address: 'e4@example.edu', password: 'main password 1' });
  const { password } = await ctx.appPasswords.create(a.id, '手机 Outlook');
  assert.match(password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
  assert.equal((await login('E4@example.edu', 'main password 1')).ok, true);
  assert.equal((await login('e4@example.edu', password.toUpperCase().replaceAll(' ', ''))).ok, true);
  assert.equal((await login('e4@example.edu', password.replaceAll(' ', '-'), 'imap')).ok, true);
  assert.deepEqual(await login('e4@example.edu', 'wrong password'), { ok: false, reason: 'invalid' });
  assert.deepEqual(await login('nobody@example.edu', password), { ok: false, reason: 'invalid' });
});

test('E1 with 2FA on the main password is refused with "use a client-specific password"; app passwords pass', async () => {
  const a = await ctx.accounts.create({ address: 'e1@example.edu', password: 'main password 2' });
  twoFactor.on.add(a.id);
  const { password } = await ctx.appPasswords.create(a.id, 'Thunderbird');
  assert.deepEqual(await login('e1@example.edu', 'main password 2', 'imap'), { ok: false, reason: 'app_password_required' });
  assert.equal(clientAuthMessage('app_password_required'), '请使用客户端专用密码 / use a client-specific password');
  assert.deepEqual(await login('e1@example.edu', 'wrong password', 'imap'), { ok: false, reason: 'invalid' }, 'a wrong password learns nothing about 2FA');
  for (const p of ['imap', 'pop3', 'smtp'] as const) assert.equal((await login('e1@example.edu', password, p)).ok, true);
});

test('X3 an app password scoped to IMAP is refused for SMTP; a deleted one fails at once; last use is recorded', async () => {
  const a = await ctx.accounts.create({ address: 'x3@example.edu', password: 'main password 3' });
  twoFactor.on.add(a.id);
  const { record, password } = await ctx.appPasswords.create(a.id, 'iPad', ['imap']);
  assert.deepEqual(await login('x3@example.edu', password, 'smtp'), { ok: false, reason: 'scope' });
  assert.equal((await login('x3@example.edu', password, 'imap', '192.0.2.7')).ok, true);
  const [listed] = await ctx.appPasswords.list(a.id);
  assert.deepEqual([listed.lastUsedProtocol, listed.lastUsedIp], ['imap', '192.0.2.7']);
  await ctx.appPasswords.flush();
  assert.equal((await ctx.appPasswords.repo.list(a.id))[0].lastUsedIp, '192.0.2.7', 'written at flush');
  await ctx.appPasswords.remove(a.id, record.id);
  assert.deepEqual(await login('x3@example.edu', password, 'imap'), { ok: false, reason: 'invalid' });
});

test('an app password of another account does not open this one; a disabled account is refused', async () => {
  const a = await ctx.accounts.create({ address: 'owner@example.edu', password: 'main password 4' });
  const b = await ctx.accounts.create({ address: 'other@example.edu', password: 'main password 5' });
  const { password } = await ctx.appPasswords.create(a.id, 'phone');
  assert.deepEqual(await login(b.address, password), { ok: false, reason: 'invalid' });
  await ctx.accounts.setDisabled(a, true);
  assert.deepEqual(await login(a.address, password), { ok: false, reason: 'disabled' });
  assert.deepEqual(await login(a.address, 'main password 4'), { ok: false, reason: 'disabled' });
});

test('repeated failures are throttled per account, even with the right password afterwards', async () => {
  await ctx.accounts.create({ address: 'brute@example.edu', password: 'main password 6' });
  for (let i = 0; i < 10; i++) assert.equal((await login('brute@example.edu', `guess ${i}`)).ok, false);
  assert.deepEqual(await login('brute@example.edu', 'main password 6'), { ok: false, reason: 'throttled' });
});

test('app passwords: accepted with or without spaces and case, anything else is not one', () => {
  assert.equal(normalizeAppPassword('ABCD efgh IJKL mnop'), 'abcdefghijklmnop');
  assert.equal(normalizeAppPassword('abcd efgh ijkl mno1'), undefined);
  assert.equal(normalizeAppPassword('abcdefghijklmnopq'), undefined);
});
