import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { PosternError } from '../../src/core/errors.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { bindTotp, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';
import { rejects } from '../helpers/assertions.ts';

forEachDatabase('X2 recovery codes', (getStore) => {
  let kit: TwoFactorKit;
  let account: AccountRecord;
  let secret: string;
  beforeEach(async () => {
    kit = twoFactorKit(getStore());
    account = await kit.newAccount();
    secret = await bindTotp(kit, account);
  });

  /** Generating needs sudo mode, which the web routes check first (test/web/stepUp.test.ts, test/web/recoveryCodes.test.ts). */
  async function generate(): Promise<string[]> {
    return (await kit.twoFactor.generateRecoveryCodes(account, request)).codes;
  }

  /** Answers a fresh pending login with a recovery code. */
  async function loginWith(code: string) {
    const { token, view } = await kit.login.beginSecondFactor(account);
    const recovery = view.methods.find((m) => m.kind === 'recovery')!;
    return kit.twoFactor.check(account, await kit.login.pending(token), recovery.id, code, request, 'zh-CN');
  }

  test('X2 generating gives 10 one-time codes, shown once and stored only hashed, after a verification', async () => {
    const codes = await generate();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    const stored = (await kit.factors.listConfirmed(account.id)).find((f) => f.kind === 'recovery')!;
    for (const code of codes) assert.ok(!stored.sealedData.includes(code.replace('-', '')), 'no code in the stored data');
    const overview = await kit.twoFactor.overview(account.id);
    assert.deepEqual([overview.recovery?.left, overview.recovery?.total, overview.recovery?.low], [10, 10, false]);
    assert.deepEqual(overview.methods.map((m) => m.kind), ['backupEmail', 'wechat', 'sms', 'totp', 'webauthn'], 'not one of the method cards');
    assert.deepEqual((await kit.audit.list(account.id)).map((e) => [e.type, e.detail.method]).slice(0, 1), [['method_bound', 'recovery']]);
    await rejects(kit.twoFactor.beginBind(account, 'recovery', {}, request, 'zh-CN'), 'method_not_allowed');
  });

  test('X2 a recovery code signs in once; reusing it is refused and counted as a failure', async () => {
    const codes = await generate();
    const { view } = await kit.login.beginSecondFactor(account);
    assert.deepEqual(view.methods.map((m) => m.kind), ['totp', 'recovery'], 'offered last on the step-2 switcher');
    assert.notEqual(view.methods.find((m) => m.id === view.default)?.kind, 'recovery');

    const done = await loginWith(codes[3].replace('-', '').toLowerCase());
    assert.equal(done.status, 'verified', 'case and dash do not matter');
    await rejects(loginWith(codes[3]), 'recovery_code_used');
    const failed = (await kit.audit.list(account.id)).find((e) => e.type === 'second_factor_failed');
    assert.deepEqual([failed?.detail.method, failed?.detail.reason], ['recovery', 'reused']);
    await rejects(loginWith('ABCDE-FGHJK'), 'wrong_code', { left: 4 });
    await rejects(loginWith('abc'), 'invalid_code_format');
    assert.equal((await loginWith(codes[4])).status, 'verified', 'the other codes still work');
    assert.equal((await kit.twoFactor.overview(account.id)).recovery?.left, 8);
  });

  test('X2 two parallel uses of one code: exactly one wins; two different codes both work', async () => {
    const codes = await generate();
    const same = await Promise.allSettled([loginWith(codes[0]), loginWith(codes[0])]);
    assert.deepEqual(same.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const lost = same.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((lost.reason as PosternError).code, 'recovery_code_used');
    const different = await Promise.all([loginWith(codes[1]), loginWith(codes[2])]);
    assert.deepEqual(different.map((r) => r.status), ['verified', 'verified']);
    assert.equal((await kit.twoFactor.overview(account.id)).recovery?.left, 7);
  });

  test('X2 few codes left is told; regenerating replaces every old code', async () => {
    const old = await generate();
    for (const code of old.slice(0, 7)) assert.equal((await loginWith(code)).status, 'verified');
    assert.deepEqual([(await kit.twoFactor.overview(account.id)).recovery?.left, (await kit.twoFactor.overview(account.id)).recovery?.low], [3, false]);
    await loginWith(old[7]);
    assert.deepEqual([(await kit.twoFactor.overview(account.id)).recovery?.left, (await kit.twoFactor.overview(account.id)).recovery?.low], [2, true]);

    const fresh = await generate();
    assert.equal((await kit.twoFactor.overview(account.id)).recovery?.left, 10);
    assert.equal((await kit.factors.listConfirmed(account.id)).filter((f) => f.kind === 'recovery').length, 1);
    await rejects(loginWith(old[8]), 'wrong_code');
    assert.equal((await loginWith(fresh[8])).status, 'verified');
    assert.equal((await kit.audit.list(account.id)).find((e) => e.detail.method === 'recovery' && e.type.startsWith('method_'))?.type, 'method_changed');
  });

  test('X2 wrong codes use the core attempts, cooldown and hourly lockout', async () => {
    const codes = await generate();
    const { token, view } = await kit.login.beginSecondFactor(account);
    const recovery = view.methods.find((m) => m.kind === 'recovery')!;
    const answer = async (code: string) => kit.twoFactor.check(account, await kit.login.pending(token), recovery.id, code, request, 'zh-CN');
    for (let i = 1; i < 5; i++) await rejects(answer('AAAAA-AAAAA'), 'wrong_code', { left: 5 - i });
    await rejects(answer('AAAAA-AAAAA'), 'second_factor_attempts_exhausted');
    await rejects(answer(codes[0]), 'method_cooling_down');
    for (let round = 0; round < 3; round++) {
      kit.clock.advance(61_000);
      for (let i = 0; i < 5; i++) await answer('AAAAA-AAAAA').catch(() => {});
    }
    kit.clock.advance(61_000);
    await rejects(loginWith(codes[0]), 'second_factor_locked');
    assert.equal((await kit.twoFactor.overview(account.id)).recovery?.left, 10, 'a refused right code stays unused');
  });

  test('X2 recovery codes alone are no 2FA: only while another method is bound', async () => {
    const off = await kit.newAccount();
    await rejects(kit.twoFactor.generateRecoveryCodes(off, request), 'recovery_codes_need_two_factor');
    await generate();
    assert.equal(await kit.twoFactor.isOn(account.id), true);
    const totp = (await kit.factors.listConfirmed(account.id)).find((f) => f.kind === 'totp')!;
    const unbind = await kit.twoFactor.beginUnbind(account, totp.id);
    const done = await kit.twoFactor.check(account, await kit.verifications.get(account.id, unbind.id), totp.id, kit.totpCode(secret), request, 'zh-CN');
    assert.equal(done.status === 'verified' && done.twoFactorOn, false);
    assert.equal(await kit.twoFactor.isOn(account.id), false);
    assert.equal((await kit.twoFactor.overview(account.id)).recovery, null, 'leftover codes go with the last method');
    await rejects(kit.login.beginSecondFactor(account), 'two_factor_off');
  });
});
