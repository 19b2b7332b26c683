import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { PosternError } from '../../src/core/errors.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { bindTotp, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';
import { rejects } from '../helpers/assertions.ts';

forEachDatabase('2FA core: binding, login step 2, TOTP', (getStore) => {
  let kit: TwoFactorKit;
  beforeEach(() => {
    kit = twoFactorKit(getStore());
  });

  test('B5 B6 binding TOTP: QR and key shown, bound only after a current code, then 2FA is on', async () => {
    const account = await kit.newAccount();
    const bind = await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN');
    const display = bind.display as { uri: string; qr: string; secret: string };
    assert.match(display.qr, /^data:image\/png;base64,/);
    const uri = new URL(display.uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), `/Postern:${account.address}`);
    assert.equal(uri.searchParams.get('issuer'), 'Postern');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('secret'), display.secret.replace(/ /g, ''));
    assert.equal(await kit.twoFactor.isOn(account.id), false, 'a pending bind does not turn 2FA on');

    const v = await kit.verifications.get(account.id, bind.verificationId);
    await rejects(kit.twoFactor.check(account, v, bind.factorId, '000000' === kit.totpCode(display.secret) ? '111111' : '000000', request, 'zh-CN'), 'wrong_code', { left: 4 });
    const done = await kit.twoFactor.check(account, v, bind.factorId, kit.totpCode(display.secret), request, 'zh-CN');
    assert.deepEqual([done.status, done.status === 'verified' && done.twoFactorOn], ['verified', true]);
    assert.equal(await kit.twoFactor.isOn(account.id), true);
    const stored = await kit.factors.get(bind.factorId);
    assert.doesNotMatch(stored!.sealedData, new RegExp(display.secret.replace(/ /g, '')), 'the secret is encrypted at rest');
    const overview = await kit.twoFactor.overview(account.id);
    assert.deepEqual(overview.methods.map((m) => [m.kind, m.available, !!m.factor]), [
      ['backupEmail', true, false], ['wechat', true, false], ['sms', false, false], ['totp', true, true], ['webauthn', true, false],
    ]);
    assert.deepEqual((await kit.audit.list(account.id)).map((e) => [e.type, e.ip, e.userAgent]), [
      ['method_bound', request.ip, request.userAgent],
      ['second_factor_failed', request.ip, request.userAgent],
    ]);
    await rejects(kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN'), 'method_already_bound');
    await rejects(kit.twoFactor.beginBind(account, 'sms', {}, request, 'zh-CN'), 'method_unavailable');
  });

  test('C1 C2 C6 login step 2: pending login bound to its token, any bound method, default first', async () => {
    const account = await kit.newAccount();
    await rejects(kit.login.beginSecondFactor(account), 'two_factor_off');
    const secret = await bindTotp(kit, account);
    const mailBind = await kit.twoFactor.beginBind(account, 'backupEmail', { address: 'backup@qq.com' }, request, 'zh-CN');
    await kit.twoFactor.check(account, await kit.verifications.get(account.id, mailBind.verificationId), mailBind.factorId, kit.mail.lastCode(), request, 'zh-CN');

    const { token, view } = await kit.login.beginSecondFactor(account);
    assert.deepEqual(view.methods.map((m) => m.kind), ['totp', 'backupEmail']);
    assert.equal(view.default, mailBind.factorId, 'the method used last comes first');
    await rejects(kit.login.pending(undefined), 'login_step1_required');
    await rejects(kit.login.pending('a-token-from-another-browser'), 'login_step1_required');
    await rejects(kit.verifications.get(account.id, view.id), 'verification_not_found', {});

    const pending = await kit.login.pending(token);
    const totp = view.methods.find((m) => m.kind === 'totp')!;
    const done = await kit.twoFactor.check(account, pending, totp.id, kit.totpCode(secret), request, 'zh-CN');
    assert.equal(done.status, 'verified');
    assert.equal(await kit.login.consumeSecondFactor(pending, request), true);
    assert.equal(await kit.login.consumeSecondFactor(pending, request), false, 'a pending login is used once');
    await rejects(kit.login.pending(token), 'login_step1_required');
    assert.equal((await kit.audit.list(account.id))[0].type, 'login_succeeded');
  });

  test('C1 a pending login expires after 10 minutes', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const { token, view } = await kit.login.beginSecondFactor(account);
    const pending = await kit.login.pending(token);
    kit.clock.advance(10 * 60_000);
    await rejects(kit.login.pending(token), 'login_step1_required');
    await rejects(kit.twoFactor.check(account, pending, view.methods[0].id, kit.totpCode(secret), request, 'zh-CN'), 'verification_expired');
  });

  test('C6 TOTP accepts one step either side, not two; malformed codes cost no attempt', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const login = async () => {
      const { token, view } = await kit.login.beginSecondFactor(account);
      return { v: await kit.login.pending(token), factorId: view.methods[0].id };
    };
    const a = await login();
    await rejects(kit.twoFactor.check(account, a.v, a.factorId, kit.totpCode(secret, -2), request, 'en'), 'wrong_code', { left: 4 });
    await rejects(kit.twoFactor.check(account, a.v, a.factorId, kit.totpCode(secret, 2), request, 'en'), 'wrong_code', { left: 3 });
    for (const bad of ['12345', '1234567', 'abcdef', '']) await rejects(kit.twoFactor.check(account, a.v, a.factorId, bad, request, 'en'), 'invalid_code_format');
    assert.equal((await kit.twoFactor.check(account, a.v, a.factorId, ` ${kit.totpCode(secret, -1)} `, request, 'en')).status, 'verified');
    kit.clock.advance(90_000);
    const b = await login();
    assert.equal((await kit.twoFactor.check(account, b.v, b.factorId, kit.totpCode(secret, 1), request, 'en')).status, 'verified');
  });

  test('C6 a TOTP code (time step) is accepted once per account, and earlier steps after it never', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const first = await kit.login.beginSecondFactor(account);
    const code = kit.totpCode(secret);
    await kit.twoFactor.check(account, await kit.login.pending(first.token), first.view.methods[0].id, code, request, 'zh-CN');
    const second = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(second.token);
    await rejects(kit.twoFactor.check(account, v, second.view.methods[0].id, code, request, 'zh-CN'), 'code_reused');
    await rejects(kit.twoFactor.check(account, v, second.view.methods[0].id, kit.totpCode(secret, -1), request, 'zh-CN'), 'code_reused');
    kit.clock.advance(30_000);
    assert.equal((await kit.twoFactor.check(account, v, second.view.methods[0].id, kit.totpCode(secret), request, 'zh-CN')).status, 'verified');
  });

  test('racing verifications: two correct submissions of one code, exactly one wins', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const { token, view } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    const code = kit.totpCode(secret);
    const results = await Promise.allSettled([1, 2, 3].map(() => kit.twoFactor.check(account, v, view.methods[0].id, code, request, 'zh-CN')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status === 'rejected' && (r.reason as PosternError).code)));
    for (const r of results) if (r.status === 'rejected') assert.match((r.reason as PosternError).code, /^(code_reused|verification_done)$/);

    const mailBind = await kit.twoFactor.beginBind(account, 'backupEmail', { address: 'b@qq.com' }, request, 'zh-CN');
    const bindV = await kit.verifications.get(account.id, mailBind.verificationId);
    const mailCode = kit.mail.lastCode();
    const binds = await Promise.allSettled([1, 2].map(() => kit.twoFactor.check(account, bindV, mailBind.factorId, mailCode, request, 'zh-CN')));
    assert.equal(binds.filter((r) => r.status === 'fulfilled').length, 1);
    assert.deepEqual((await kit.twoFactor.overview(account.id)).methods.filter((m) => m.factor).map((m) => m.kind), ['backupEmail', 'totp']);
  });

  test('C8 five wrong codes: the 5th says switch or wait; a 6th is refused for a minute, then allowed', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const { token, view } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    const factorId = view.methods[0].id;
    const wrong = kit.totpCode(secret) === '123456' ? '654321' : '123456';
    for (const left of [4, 3, 2, 1]) await rejects(kit.twoFactor.check(account, v, factorId, wrong, request, 'zh-CN'), 'wrong_code', { left });
    await rejects(kit.twoFactor.check(account, v, factorId, wrong, request, 'zh-CN'), 'second_factor_attempts_exhausted');
    await rejects(kit.twoFactor.check(account, v, factorId, kit.totpCode(secret), request, 'zh-CN'), 'method_cooling_down', { seconds: 60 });
    kit.clock.advance(59_000);
    await rejects(kit.twoFactor.check(account, v, factorId, kit.totpCode(secret), request, 'zh-CN'), 'method_cooling_down', { seconds: 1 });
    kit.clock.advance(1_000);
    assert.equal((await kit.twoFactor.check(account, v, factorId, kit.totpCode(secret), request, 'zh-CN')).status, 'verified');
  });

  test('C8 while one method cools down the user may switch to another', async () => {
    const account = await kit.newAccount();
    await bindTotp(kit, account);
    const mailBind = await kit.twoFactor.beginBind(account, 'backupEmail', { address: 'c@qq.com' }, request, 'zh-CN');
    await kit.twoFactor.check(account, await kit.verifications.get(account.id, mailBind.verificationId), mailBind.factorId, kit.mail.lastCode(), request, 'zh-CN');
    kit.clock.advance(60_000);
    const { token, view } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    const totp = view.methods.find((m) => m.kind === 'totp')!;
    for (let i = 0; i < 5; i++) await assert.rejects(kit.twoFactor.check(account, v, totp.id, '000000', request, 'zh-CN'));
    await rejects(kit.twoFactor.check(account, v, totp.id, '000000', request, 'zh-CN'), 'method_cooling_down');
    await kit.twoFactor.start(account, v, mailBind.factorId, request, 'zh-CN');
    assert.equal((await kit.twoFactor.check(account, v, mailBind.factorId, kit.mail.lastCode().toLowerCase(), request, 'zh-CN')).status, 'verified');
  });

  test('at most 20 failed second-step checks per hour per account, then a lockout message and an audit event', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const { token, view } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    const factorId = view.methods[0].id;
    const codes: string[] = [];
    for (let burst = 0; burst < 4; burst++) {
      for (let i = 0; i < 5; i++) {
        await kit.twoFactor.check(account, v, factorId, '000000', request, 'zh-CN').catch((err: PosternError) => codes.push(err.code));
      }
      kit.clock.advance(61_000);
    }
    assert.equal(codes.length, 20);
    assert.deepEqual(codes.slice(0, 5), ['wrong_code', 'wrong_code', 'wrong_code', 'wrong_code', 'second_factor_attempts_exhausted']);
    assert.equal(codes.at(-1), 'second_factor_locked', 'the 20th failure locks');
    const later = await kit.login.beginSecondFactor(account);
    await rejects(kit.twoFactor.check(account, await kit.login.pending(later.token), factorId, kit.totpCode(secret), request, 'zh-CN'), 'second_factor_locked');
    const events = (await kit.audit.list(account.id)).map((e) => e.type);
    assert.equal(events.filter((t) => t === 'second_factor_locked').length, 1);
    assert.equal(events.filter((t) => t === 'second_factor_failed').length, 20);
    kit.clock.advance(60 * 60_000);
    const next = await kit.login.beginSecondFactor(account);
    assert.equal((await kit.twoFactor.check(account, await kit.login.pending(next.token), factorId, kit.totpCode(secret), request, 'zh-CN')).status, 'verified');
  });
});
