import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { LoginRequest } from '../../src/core/loginFlow.ts';
import { rejects } from '../helpers/assertions.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { bindTotp, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';

const password = 'a long test passphrase';
const from: LoginRequest = request;

forEachDatabase('Login flow: password_ok → second_factor_pending → done', (getStore) => {
  let kit: TwoFactorKit;
  beforeEach(() => {
    kit = twoFactorKit(getStore());
  });

  test('A1 C1 C7 without 2FA the password alone signs in; with 2FA step 2 is due unless the browser is trusted', async () => {
    const account = await kit.newAccount();
    const first = await kit.login.password(account.address, password, from);
    assert.equal(first.state, 'done');
    assert.equal(first.state === 'done' && first.session.record.accountId, account.id);

    const secret = await bindTotp(kit, account);
    const pending = await kit.login.password(account.address, password, { ...from, replacing: first.state === 'done' ? first.session.record : null });
    assert.equal(pending.state, 'second_factor_pending');
    if (pending.state !== 'second_factor_pending') return;
    assert.deepEqual(pending.view.methods.map((m) => m.kind), ['totp']);

    const done = await kit.login.answer(pending.token, { factorId: pending.view.methods[0].id, code: kit.totpCode(secret), trust: true }, from, 'zh-CN');
    assert.equal(done.state, 'done');
    if (done.state !== 'done') return;
    assert.ok(done.trustedDevice, 'the browser asked to be trusted');
    assert.equal(done.session.record.prevLoginIp, from.ip, 'the session shows the sign-in before it');
    await rejects(kit.login.view(pending.token), 'login_step1_required');

    const trusted = await kit.login.password(account.address, password, { ...from, trustedDeviceToken: done.trustedDevice.token });
    assert.equal(trusted.state, 'done');
    assert.deepEqual(
      (await kit.audit.list(account.id)).filter((e) => e.type === 'login_succeeded').map((e) => e.detail).reverse(),
      [{ secondFactor: false }, { secondFactor: true }, { secondFactor: false, trustedDevice: true }],
    );
  });

  test('X4 a sign-in is found new or known once, as it is recorded: another IP or browser is a new device, the same OS and browser again is not', async () => {
    const account = await kit.newAccount();
    const chrome = (version: string) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;
    const firefoxMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';
    const newDevice = async (ip: string, userAgent: string) => {
      const step = await kit.login.password(account.address, password, { ...from, ip, userAgent });
      assert.equal(step.state, 'done');
      const [event] = await kit.audit.list(account.id, 1);
      assert.equal(event.type, 'login_succeeded');
      return event.detail.newDevice === true;
    };
    assert.equal(await newDevice('203.0.113.7', chrome('141.0.0.0')), false, 'the first sign-in has nothing to compare with');
    assert.equal(await newDevice('203.0.113.7', chrome('141.0.0.0')), false, 'the same device again');
    assert.equal(await newDevice('203.0.113.7', chrome('141.0.7390.55')), false, 'the same OS and browser, another build');
    assert.equal(await newDevice('198.51.100.2', chrome('141.0.0.0')), true, 'another IP');
    assert.equal(await newDevice('198.51.100.2', firefoxMac), true, 'another browser from a known IP');
    assert.equal(await newDevice('198.51.100.2', firefoxMac), false);

    const secret = await bindTotp(kit, account);
    const pending = await kit.login.password(account.address, password, { ...from, ip: '192.0.2.9', userAgent: firefoxMac });
    assert.equal(pending.state, 'second_factor_pending');
    if (pending.state !== 'second_factor_pending') return;
    const done = await kit.login.answer(pending.token, { factorId: pending.view.methods[0].id, code: kit.totpCode(secret), trust: true }, { ...from, ip: '192.0.2.9', userAgent: firefoxMac }, 'zh-CN');
    assert.equal(done.state, 'done');
    const [twoStep] = (await kit.audit.list(account.id)).filter((e) => e.type === 'login_succeeded');
    assert.deepEqual(twoStep.detail, { secondFactor: true, newDevice: true }, 'step 2 from a new place');
    const trusted = await kit.login.password(account.address, password, { ...from, ip: '192.0.2.10', userAgent: chrome('142.0.0.0'), trustedDeviceToken: done.state === 'done' ? done.trustedDevice!.token : undefined });
    assert.equal(trusted.state, 'done');
    const [viaTrust] = (await kit.audit.list(account.id)).filter((e) => e.type === 'login_succeeded');
    assert.deepEqual(viaTrust.detail, { secondFactor: false, trustedDevice: true }, 'a trusted browser is never a new device');
  });

  test('A1 a wrong password is refused with one message whether or not the account exists, and audited for a real one', async () => {
    const account = await kit.newAccount();
    await rejects(kit.login.password(account.address, 'not the password', from), 'invalid_credentials');
    await rejects(kit.login.password('nobody@example.edu', 'not the password', from), 'invalid_credentials');
    const [failed] = await kit.audit.list(account.id);
    assert.deepEqual([failed.type, failed.detail], ['login_failed', { step: 'password' }]);
  });
});
