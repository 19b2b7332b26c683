import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { FakeClock } from '../helpers/clock.ts';
import { testContext } from '../helpers/context.ts';
import { rejects } from '../helpers/assertions.ts';

const request = { ip: '202.202.1.123', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' };
const clock = new FakeClock(Date.UTC(2026, 4, 1, 2, 0, 0));
let ctx: Context;
let cleanup: () => Promise<void>;
before(async () => ({ ctx, cleanup } = await testContext({ clock })));
after(() => cleanup());

let n = 0;
const newAccount = () => ctx.accounts.create({ address: `test${String(++n).padStart(3, '0')}@example.edu`, password: 'a long test passphrase', displayName: `test${n}` });

/** The newest code in the dev outbox for `to`: a mail's code line, or an SMS's 6 digits. */
async function lastCode(to: string): Promise<string> {
  // Security notices (X4) go to a bound backup address too: the newest message with a code.
  const latest = (await ctx.outbox.list({ to, limit: 10 })).find((m) => m.channel === 'sms' || /^[A-Z0-9]{4}$/m.test(m.text));
  assert.ok(latest, `a message to ${to}`);
  const match = latest.channel === 'mail' ? /^([A-Z0-9]{4})$/m.exec(latest.text) : /\b(\d{6})\b/.exec(latest.text);
  return match![1];
}

/** A well-formed code that is not `code`. */
const otherThan = (code: string) => (/^\d+$/.test(code) ? (code === '000000' ? '111111' : '000000') : code === 'AAAA' ? 'BBBB' : 'AAAA');

async function bind(account: AccountRecord, kind: 'backupEmail' | 'sms', input: object, to: string, changeId?: string) {
  const started = await ctx.twoFactor.beginBind(account, kind, input, request, 'zh-CN', changeId);
  const v = await ctx.twoFactor.verifications.get(account.id, started.verificationId);
  const done = await ctx.twoFactor.check(account, v, started.factorId, await lastCode(to), request, 'zh-CN');
  clock.advance(61_000);
  return { started, done };
}

const factorOf = async (account: AccountRecord, kind: string) => (await ctx.twoFactor.overview(account.id)).methods.find((m) => m.kind === kind)!.factor;

test('B1 B2 B6 bind a backup email: a 4-character code is mailed to it, entering it binds and turns 2FA on', async () => {
  const account = await newAccount();
  const started = await ctx.twoFactor.beginBind(account, 'backupEmail', { address: ' Backup.One@QQ.com ' }, request, 'zh-CN');
  assert.deepEqual(started.display, { destination: 'back****@qq.com' });
  assert.deepEqual(started.challenge, { sentTo: 'back****@qq.com', validMinutes: 5 });
  assert.equal(started.resendIn, 60);
  const [mail] = await ctx.outbox.list({ to: 'backup.one@qq.com' });
  assert.equal(mail.subject, '【验证码】用于邮件系统的二次验证');
  assert.equal(mail.from, 'postmaster@example.edu');
  assert.ok(mail.text.includes(`您的邮箱 test****@example.edu 正在验证。`));
  assert.ok(mail.text.includes('大致地点: 重庆市 (IP: 202.xxx.x.xxx)'));
  const code = await lastCode('backup.one@qq.com');
  assert.match(code, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{4}$/);
  const v = await ctx.twoFactor.verifications.get(account.id, started.verificationId);
  const done = await ctx.twoFactor.check(account, v, started.factorId, code.toLowerCase(), request, 'zh-CN');
  assert.deepEqual(done.status === 'verified' && [done.purpose, done.twoFactorOn], ['bind', true]);
  assert.equal((await factorOf(account, 'backupEmail'))!.label, 'back****@qq.com');
});

test('B1 the backup address may not be the account\'s own mailbox, and must be an address', async () => {
  const account = await newAccount();
  await rejects(ctx.twoFactor.beginBind(account, 'backupEmail', { address: account.address.toUpperCase() }, request, 'zh-CN'), 'backup_email_is_own_mailbox');
  await rejects(ctx.twoFactor.beginBind(account, 'backupEmail', { address: 'not an address' }, request, 'zh-CN'), 'invalid_address');
  await assert.rejects(ctx.twoFactor.beginBind(account, 'backupEmail', {}, request, 'zh-CN'), (err: unknown) => (err as Error).name === 'ZodError');
});

test('C8 B1 a mistyped address is corrected at once; the same address again waits the minute', async () => {
  const account = await newAccount();
  await ctx.twoFactor.beginBind(account, 'backupEmail', { address: 'typo@qq.con' }, request, 'zh-CN');
  clock.advance(10_000);
  await rejects(ctx.twoFactor.beginBind(account, 'backupEmail', { address: 'typo@qq.con' }, request, 'zh-CN'), 'resend_too_soon', { seconds: 50 });
  const { done } = await bind(account, 'backupEmail', { address: 'typo@qq.com' }, 'typo@qq.com');
  assert.equal(done.status, 'verified');
});

test('C5 C8 binding SMS and logging in with it a moment later: the login code goes out at once', async () => {
  const account = await newAccount();
  const started = await ctx.twoFactor.beginBind(account, 'sms', { phone: '13800138040' }, request, 'zh-CN');
  const bindV = await ctx.twoFactor.verifications.get(account.id, started.verificationId);
  await ctx.twoFactor.check(account, bindV, started.factorId, await lastCode('+8613800138040'), request, 'zh-CN');
  clock.advance(40_000);
  const login = await ctx.login.beginSecondFactor(account);
  const smsId = (await factorOf(account, 'sms'))!.id;
  assert.equal(login.view.methods.find((m) => m.id === smsId)!.resendIn, 0);
  const v = await ctx.login.pending(login.token);
  const sent = await ctx.twoFactor.start(account, v, smsId, request, 'zh-CN');
  assert.equal(sent.resendIn, 60);
  clock.advance(15_000);
  assert.equal((await ctx.twoFactor.verificationView(v)).methods.find((m) => m.id === smsId)!.resendIn, 45, 'the page shows the seconds left after a reload');
  clock.advance(61_000);
});

test('B4 bind SMS: an 11-digit mainland number becomes +86, gets a 6-digit code, and is shown masked', async () => {
  const account = await newAccount();
  await rejects(ctx.twoFactor.beginBind(account, 'sms', { phone: '12345' }, request, 'zh-CN'), 'invalid_phone');
  const { started, done } = await bind(account, 'sms', { phone: '138 0013 8000' }, '+8613800138000');
  assert.deepEqual(started.display, { destination: '+86 138****8000' });
  assert.equal(done.status, 'verified');
  const [sms] = await ctx.outbox.list({ to: '+8613800138000' });
  assert.match(sms.text, /^您的邮件系统验证码为 \d{6}，5 分钟内有效。请勿向任何人提供验证码。$/);
  assert.equal((await factorOf(account, 'sms'))!.label, '+86 138****8000');
});

test('C3 C5 C2 C8 log in with the backup email or SMS; resending within 60 s is refused with the seconds left', async () => {
  const account = await newAccount();
  await bind(account, 'backupEmail', { address: 'login-backup@qq.com' }, 'login-backup@qq.com');
  await bind(account, 'sms', { phone: '13900139000' }, '+8613900139000');
  const mailId = (await factorOf(account, 'backupEmail'))!.id;
  const smsId = (await factorOf(account, 'sms'))!.id;

  const login = await ctx.login.beginSecondFactor(account);
  assert.deepEqual(login.view.methods.map((m) => [m.kind, m.style]).sort(), [['backupEmail', 'code'], ['sms', 'code']]);
  let v = await ctx.login.pending(login.token);
  await ctx.twoFactor.start(account, v, mailId, request, 'zh-CN');
  clock.advance(20_000);
  await rejects(ctx.twoFactor.start(account, v, mailId, request, 'zh-CN'), 'resend_too_soon', { seconds: 40 });
  // Switching method on step 2: the SMS has its own interval.
  await ctx.twoFactor.start(account, v, smsId, request, 'zh-CN');
  await rejects(ctx.twoFactor.check(account, v, smsId, otherThan(await lastCode('+8613900139000')), request, 'zh-CN'), 'wrong_code', { left: 4 });
  const done = await ctx.twoFactor.check(account, v, smsId, await lastCode('+8613900139000'), request, 'zh-CN');
  assert.equal(done.status, 'verified');
  assert.equal(await ctx.login.consumeSecondFactor(done.status === 'verified' ? done.verification : v, request), true);

  clock.advance(61_000);
  const second = await ctx.login.beginSecondFactor(account);
  v = await ctx.login.pending(second.token);
  await ctx.twoFactor.start(account, v, mailId, request, 'zh-CN');
  const first = await lastCode('login-backup@qq.com');
  clock.advance(60_000);
  await ctx.twoFactor.start(account, v, mailId, request, 'zh-CN');
  const resent = await lastCode('login-backup@qq.com');
  if (first !== resent) await rejects(ctx.twoFactor.check(account, v, mailId, first, request, 'zh-CN'), 'wrong_code');
  assert.equal((await ctx.twoFactor.check(account, v, mailId, resent, request, 'zh-CN')).status, 'verified');
});

test('sent codes last 5 minutes and allow 5 tries', async () => {
  const account = await newAccount();
  await bind(account, 'backupEmail', { address: 'expiry@qq.com' }, 'expiry@qq.com');
  const mailId = (await factorOf(account, 'backupEmail'))!.id;
  const v = await ctx.login.pending((await ctx.login.beginSecondFactor(account)).token);
  await ctx.twoFactor.start(account, v, mailId, request, 'zh-CN');
  clock.advance(5 * 60_000 + 1000);
  await rejects(ctx.twoFactor.check(account, v, mailId, await lastCode('expiry@qq.com'), request, 'zh-CN'), 'code_expired');

  await ctx.twoFactor.start(account, v, mailId, request, 'zh-CN');
  const right = await lastCode('expiry@qq.com');
  const wrong = otherThan(right);
  for (let left = 4; left > 0; left--) await rejects(ctx.twoFactor.check(account, v, mailId, wrong, request, 'zh-CN'), 'wrong_code', { left });
  await rejects(ctx.twoFactor.check(account, v, mailId, wrong, request, 'zh-CN'), 'second_factor_attempts_exhausted');
  await rejects(ctx.twoFactor.check(account, v, mailId, right, request, 'zh-CN'), 'method_cooling_down');
  await rejects(ctx.twoFactor.check(account, v, mailId, '12', request, 'zh-CN'), 'method_cooling_down');
});

test('D1 D5 unbinding sends a code to the current address or phone; D9 the last one turns 2FA off', async () => {
  const account = await newAccount();
  await bind(account, 'backupEmail', { address: 'unbind@qq.com' }, 'unbind@qq.com');
  await bind(account, 'sms', { phone: '+8613700137000' }, '+8613700137000');
  for (const [kind, to] of [['backupEmail', 'unbind@qq.com'], ['sms', '+8613700137000']] as const) {
    const id = (await factorOf(account, kind))!.id;
    const unbind = await ctx.twoFactor.beginUnbind(account, id);
    assert.deepEqual(unbind.methods.map((m) => m.kind), [kind]);
    const v = await ctx.twoFactor.verifications.get(account.id, unbind.id);
    await ctx.twoFactor.start(account, v, id, request, 'zh-CN');
    const done = await ctx.twoFactor.check(account, v, id, await lastCode(to), request, 'zh-CN');
    assert.equal(done.status === 'verified' && done.purpose, 'unbind');
    assert.equal(await factorOf(account, kind), null);
  }
  assert.equal(await ctx.twoFactor.isOn(account.id), false);
});

test('D2 D6 change the backup address and the phone, verified by another bound method; the new one gets its own code', async () => {
  const account = await newAccount();
  await bind(account, 'backupEmail', { address: 'old@qq.com' }, 'old@qq.com');
  await bind(account, 'sms', { phone: '13600136000' }, '+8613600136000');
  const mailId = (await factorOf(account, 'backupEmail'))!.id;
  const smsId = (await factorOf(account, 'sms'))!.id;

  const change = await ctx.twoFactor.beginChange(account, mailId);
  assert.equal(change.default, mailId);
  const cv = await ctx.twoFactor.verifications.get(account.id, change.id);
  await ctx.twoFactor.start(account, cv, smsId, request, 'zh-CN');
  await ctx.twoFactor.check(account, cv, smsId, await lastCode('+8613600136000'), request, 'zh-CN');
  await bind(account, 'backupEmail', { address: 'new@qq.com' }, 'new@qq.com', change.id);
  assert.equal((await factorOf(account, 'backupEmail'))!.label, 'n****@qq.com');

  const phoneChange = await ctx.twoFactor.beginChange(account, smsId);
  const pv = await ctx.twoFactor.verifications.get(account.id, phoneChange.id);
  const newMailId = (await factorOf(account, 'backupEmail'))!.id;
  await ctx.twoFactor.start(account, pv, newMailId, request, 'zh-CN');
  await ctx.twoFactor.check(account, pv, newMailId, await lastCode('new@qq.com'), request, 'zh-CN');
  await bind(account, 'sms', { phone: '+85291234567' }, '+85291234567', phoneChange.id);
  assert.equal((await factorOf(account, 'sms'))!.label, '+852 91****4567');
});

test('D6 D2 verified by the current phone, a new number gets its code at once; a typo is corrected without starting over; one change binds once', async () => {
  const account = await newAccount();
  await bind(account, 'sms', { phone: '13600136001' }, '+8613600136001');
  const smsId = (await factorOf(account, 'sms'))!.id;
  const change = await ctx.twoFactor.beginChange(account, smsId);
  const cv = await ctx.twoFactor.verifications.get(account.id, change.id);
  await ctx.twoFactor.start(account, cv, smsId, request, 'zh-CN');
  await ctx.twoFactor.check(account, cv, smsId, await lastCode('+8613600136001'), request, 'zh-CN');
  clock.advance(4_000);
  const typo = await ctx.twoFactor.beginBind(account, 'sms', { phone: '13900139111' }, request, 'zh-CN', change.id);
  assert.equal(typo.resendIn, 60);
  const right = await ctx.twoFactor.beginBind(account, 'sms', { phone: '13900139222' }, request, 'zh-CN', change.id);
  const rv = await ctx.twoFactor.verifications.get(account.id, right.verificationId);
  await ctx.twoFactor.check(account, rv, right.factorId, await lastCode('+8613900139222'), request, 'zh-CN');
  assert.equal((await factorOf(account, 'sms'))!.label, '+86 139****9222');
  const tv = await ctx.twoFactor.verifications.get(account.id, typo.verificationId);
  await rejects(ctx.twoFactor.check(account, tv, typo.factorId, await lastCode('+8613900139111'), request, 'zh-CN'), 'method_not_allowed');
  assert.equal((await factorOf(account, 'sms'))!.label, '+86 139****9222', 'the used change does not bind a second number');
  await rejects(ctx.twoFactor.beginBind(account, 'sms', { phone: '13900139333' }, request, 'zh-CN', change.id), 'verification_done');
  clock.advance(61_000);
});

test('each destination gets at most its daily number of codes', async () => {
  const account = await newAccount();
  await bind(account, 'sms', { phone: '13500135000' }, '+8613500135000');
  const smsId = (await factorOf(account, 'sms'))!.id;
  const v = await ctx.login.pending((await ctx.login.beginSecondFactor(account)).token);
  for (let sent = 1; sent < ctx.config.codeDailyCap.sms; sent++) {
    await ctx.twoFactor.start(account, v, smsId, request, 'zh-CN');
    clock.advance(60_000);
  }
  await rejects(ctx.twoFactor.start(account, v, smsId, request, 'zh-CN'), 'daily_send_limit', { limit: ctx.config.codeDailyCap.sms });
});
