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

  test('A1 a wrong password is refused with one message whether or not the account exists, and audited for a real one', async () => {
    const account = await kit.newAccount();
    await rejects(kit.login.password(account.address, 'not the password', from), 'invalid_credentials');
    await rejects(kit.login.password('nobody@example.edu', 'not the password', from), 'invalid_credentials');
    const [failed] = await kit.audit.list(account.id);
    assert.deepEqual([failed.type, failed.detail], ['login_failed', { step: 'password' }]);
  });
});
