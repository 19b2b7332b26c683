import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeEach, test } from 'node:test';
import { AppPasswords } from '../../src/core/appPasswords.ts';
import { PosternError } from '../../src/core/errors.ts';
import { Revocations } from '../../src/core/revocation.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { resetTwoFactor, type HelpDeskDeps } from '../../src/core/helpDesk.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { Sessions } from '../../src/core/sessions.ts';
import { appPasswordRepo } from '../../src/store/appPasswordRepo.ts';
import { sessionRepo } from '../../src/store/sessionRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { bindTotp, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';

const from = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Test', prevLoginAt: null, prevLoginIp: null };

forEachDatabase('help desk: reset two-step verification', (getStore) => {
  let kit: TwoFactorKit;
  let deps: HelpDeskDeps & { sessions: Sessions; appPasswords: AppPasswords };

  beforeEach(() => {
    kit = twoFactorKit(getStore());
    const revocations = new Revocations(memoryBus());
    deps = {
      twoFactor: kit.twoFactor,
      audit: kit.audit,
      sessions: new Sessions(sessionRepo(getStore().db), kit.clock, { idleMinutes: 60, maxHours: 24 }),
      appPasswords: new AppPasswords(appPasswordRepo(getStore().db), kit.clock, randomBytes(32), revocations),
      revocations,
    };
  });

  /** An account with TOTP bound, a trusted browser, two web sessions and two client passwords. */
  async function securedAccount(): Promise<{ account: AccountRecord; deviceToken: string; appPassword: string }> {
    const account = await kit.newAccount();
    await bindTotp(kit, account);
    const { token } = await kit.trusted.trust(account.id, request);
    await deps.sessions.create(account.id, from);
    await deps.sessions.create(account.id, from);
    const { password } = await deps.appPasswords.create(account.id, '手机 Outlook');
    await deps.appPasswords.create(account.id, 'Thunderbird');
    return { account, deviceToken: token, appPassword: password };
  }

  test('X5 reset turns 2FA off, removes trust, sessions and client passwords, and is audited with the note', async () => {
    const { account, deviceToken, appPassword } = await securedAccount();
    const bystander = await kit.newAccount();
    await deps.sessions.create(bystander.id, from);
    const pendingMail = await kit.twoFactor.beginBind(account, 'backupEmail', { address: 'backup@qq.com' }, request, 'zh-CN');

    const done = await resetTwoFactor(deps, account.id, { note: ' ticket 4711, ID card checked ' }, request);
    assert.deepEqual(done, { methods: ['totp'], trustedDevices: 1, sessions: 2, appPasswords: 2 });
    assert.equal(await kit.twoFactor.isOn(account.id), false);
    assert.equal(await kit.factors.get(pendingMail.factorId), undefined, 'a half-done bind goes too');
    assert.equal(await kit.trusted.isTrusted(account.id, deviceToken), false);
    assert.deepEqual(await deps.sessions.list(account.id), []);
    assert.deepEqual(await deps.appPasswords.list(account.id), []);
    assert.equal(await deps.appPasswords.find(appPassword), undefined);
    assert.equal((await deps.sessions.list(bystander.id)).length, 1, "another account's sessions stay");

    const [latest, trustEvent] = await kit.audit.list(account.id);
    assert.equal(latest.type, 'admin_reset_2fa');
    assert.deepEqual(latest.detail, { note: 'ticket 4711, ID card checked', methods: 'totp', trustedDevices: 1, sessions: 2, appPasswords: 2 });
    assert.deepEqual([trustEvent.type, trustEvent.detail.reason], ['device_trust_removed_all', 'admin_reset_2fa']);
  });

  test('X5 E4 reset with keepAppPasswords leaves client passwords working', async () => {
    const { account, appPassword } = await securedAccount();
    const done = await resetTwoFactor(deps, account.id, { note: 'ticket 4712', keepAppPasswords: true }, request);
    assert.equal(done.appPasswords, null);
    assert.equal((await deps.appPasswords.find(appPassword))?.accountId, account.id);
    assert.equal((await deps.appPasswords.list(account.id)).length, 2);
    assert.equal(await kit.twoFactor.isOn(account.id), false);
  });

  test('X5 reset without a one-line note is refused and changes nothing', async () => {
    const { account } = await securedAccount();
    for (const note of ['', '   ', 'two\nlines', 'x'.repeat(501)]) {
      await assert.rejects(resetTwoFactor(deps, account.id, { note }, request), (err: unknown) => err instanceof PosternError && err.code === 'invalid_reset_note');
    }
    assert.equal(await kit.twoFactor.isOn(account.id), true);
    assert.equal((await deps.sessions.list(account.id)).length, 2);
    assert.equal((await kit.trusted.list(account.id)).length, 1);
  });
});
