import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { AccountRecord } from '../../src/core/ports.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { bindTotp, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';
import { rejects } from '../helpers/assertions.ts';

async function bindMail(kit: TwoFactorKit, account: AccountRecord, address = 'backup@qq.com'): Promise<string> {
  const bind = await kit.twoFactor.beginBind(account, 'backupEmail', { address }, request, 'zh-CN');
  await kit.twoFactor.check(account, await kit.verifications.get(account.id, bind.verificationId), bind.factorId, kit.mail.lastCode(), request, 'zh-CN');
  kit.clock.advance(60_000);
  return bind.factorId;
}

forEachDatabase('2FA core: unbind, change, code and approval methods, trusted devices', (getStore) => {
  let kit: TwoFactorKit;
  beforeEach(() => {
    kit = twoFactorKit(getStore());
  });

  test('D7 D9 unbind needs the method being removed; unbinding the last one turns 2FA off', async () => {
    const account = await kit.newAccount();
    const secret = await bindTotp(kit, account);
    const mailId = await bindMail(kit, account);
    const totpId = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'totp')!.factor!.id;

    const device = await kit.trusted.trust(account.id, request);
    const unbind = await kit.twoFactor.beginUnbind(account, totpId);
    assert.deepEqual(unbind.methods.map((m) => m.kind), ['totp']);
    const v = await kit.verifications.get(account.id, unbind.id);
    await rejects(kit.twoFactor.start(account, v, mailId, request, 'zh-CN'), 'method_not_allowed');
    const done = await kit.twoFactor.check(account, v, totpId, kit.totpCode(secret), request, 'zh-CN');
    assert.deepEqual(done.status === 'verified' && [done.purpose, done.twoFactorOn], ['unbind', true]);
    await rejects(kit.twoFactor.beginUnbind(account, totpId), 'method_not_bound');
    assert.equal(await kit.trusted.isTrusted(account.id, device.token), false, 'unbinding revokes all trust');

    const last = await kit.twoFactor.beginUnbind(account, mailId);
    const lastV = await kit.verifications.get(account.id, last.id);
    await rejects(kit.twoFactor.check(account, lastV, mailId, 'ABCD', request, 'zh-CN'), 'code_not_sent');
    const sent = await kit.twoFactor.start(account, lastV, mailId, request, 'zh-CN');
    assert.deepEqual(sent.display, { sentTo: 'ba****@qq.com' });
    const off = await kit.twoFactor.check(account, lastV, mailId, kit.mail.lastCode(), request, 'zh-CN');
    assert.equal(off.status === 'verified' && off.twoFactorOn, false);
    assert.equal(await kit.twoFactor.isOn(account.id), false);
    await rejects(kit.login.beginSecondFactor(account), 'two_factor_off');
    const types = (await kit.audit.list(account.id)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'method_unbound').length, 2);
  });

  test('D8 change TOTP: verified by another bound method; the old app works until the new one is confirmed', async () => {
    const account = await kit.newAccount();
    const oldSecret = await bindTotp(kit, account);
    const mailId = await bindMail(kit, account);
    const totpId = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'totp')!.factor!.id;

    const change = await kit.twoFactor.beginChange(account, totpId);
    assert.deepEqual(change.methods.map((m) => m.kind).sort(), ['backupEmail', 'totp']);
    await rejects(kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN', change.id), 'verification_required');
    const changeV = await kit.verifications.get(account.id, change.id);
    await kit.twoFactor.start(account, changeV, mailId, request, 'zh-CN');
    await kit.twoFactor.check(account, changeV, mailId, kit.mail.lastCode(), request, 'zh-CN');

    // Until one of them completes, the change may start another bind (a new QR when the first scan failed).
    const abandoned = await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN', change.id);
    const bind = await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN', change.id);
    const newSecret = (bind.display as { secret: string }).secret.replace(/ /g, '');
    assert.notEqual(newSecret, oldSecret);

    const meanwhile = await kit.login.beginSecondFactor(account);
    const oldTotp = meanwhile.view.methods.find((m) => m.kind === 'totp')!;
    assert.equal(oldTotp.id, totpId, 'the pending new app is not offered at login');
    assert.equal((await kit.twoFactor.check(account, await kit.login.pending(meanwhile.token), totpId, kit.totpCode(oldSecret), request, 'zh-CN')).status, 'verified');

    kit.clock.advance(30_000);
    await kit.twoFactor.check(account, await kit.verifications.get(account.id, bind.verificationId), bind.factorId, kit.totpCode(newSecret), request, 'zh-CN');
    const after = await kit.twoFactor.overview(account.id);
    assert.equal(after.methods.find((m) => m.kind === 'totp')!.factor!.id, bind.factorId);
    await rejects(kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN', change.id), 'verification_done');
    const abandonedSecret = (abandoned.display as { secret: string }).secret.replace(/ /g, '');
    await rejects(kit.twoFactor.check(account, await kit.verifications.get(account.id, abandoned.verificationId), abandoned.factorId, kit.totpCode(abandonedSecret), request, 'zh-CN'), 'method_not_allowed');
    kit.clock.advance(90_000);
    const login = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(login.token);
    await rejects(kit.twoFactor.check(account, v, totpId, kit.totpCode(oldSecret), request, 'zh-CN'), 'method_not_allowed');
    assert.equal((await kit.twoFactor.check(account, v, bind.factorId, kit.totpCode(newSecret), request, 'zh-CN')).status, 'verified');
    assert.ok((await kit.audit.list(account.id)).some((e) => e.type === 'method_changed' && e.detail.method === 'totp'));
  });

  test('C3 C8 sent codes: hashed, resent at most once a minute, the newest one counts', async () => {
    const account = await kit.newAccount();
    const mailId = await bindMail(kit, account);
    const { token } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    const sent = await kit.twoFactor.start(account, v, mailId, request, 'zh-CN');
    const code = kit.mail.lastCode();
    assert.match(code, /^[A-HJ-NP-Z2-9]{4}$/);
    const stored = await getStore().db.selectFrom('challenges').select('state').where('id', '=', sent.challengeId).executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.state, new RegExp(code));
    kit.clock.advance(30_000);
    await rejects(kit.twoFactor.start(account, v, mailId, request, 'zh-CN'), 'resend_too_soon');
    kit.clock.advance(30_000);
    await kit.twoFactor.start(account, v, mailId, request, 'zh-CN');
    if (kit.mail.lastCode() !== code) await rejects(kit.twoFactor.check(account, v, mailId, code, request, 'zh-CN'), 'wrong_code');
    kit.clock.advance(4 * 60_000);
    assert.equal((await kit.twoFactor.check(account, v, mailId, kit.mail.lastCode(), request, 'zh-CN')).status, 'verified');
  });

  test('C8 a code that did not go out may be asked for again at once; of parallel sends one goes out', async () => {
    const account = await kit.newAccount();
    const mailId = await bindMail(kit, account);
    const v = await kit.login.pending((await kit.login.beginSecondFactor(account)).token);
    kit.mail.down = true;
    await rejects(kit.twoFactor.start(account, v, mailId, request, 'zh-CN'), 'mail_send_failed');
    kit.mail.down = false;
    const sent = kit.mail.outbox.length;
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => kit.twoFactor.start(account, v, mailId, request, 'zh-CN')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one a minute per purpose and destination');
    assert.equal(kit.mail.outbox.length, sent + 1);
    await rejects(kit.twoFactor.start(account, v, mailId, request, 'zh-CN'), 'resend_too_soon', { seconds: 60 });
  });

  test('C3 a sent code expires after 5 minutes within a longer verification', async () => {
    const account = await kit.newAccount();
    const mailId = await bindMail(kit, account);
    const { token } = await kit.login.beginSecondFactor(account);
    const v = await kit.login.pending(token);
    await kit.twoFactor.start(account, v, mailId, request, 'zh-CN');
    kit.clock.advance(5 * 60_000);
    await rejects(kit.twoFactor.check(account, v, mailId, kit.mail.lastCode(), request, 'zh-CN'), 'code_expired');
  });

  test('B3 C4 approval methods: polling costs no attempt; the phone approval completes the check', async () => {
    const account = await kit.newAccount();
    const bind = await kit.twoFactor.beginBind(account, 'wechat', {}, request, 'zh-CN');
    const challengeId = /^wechat:\/\/scan\/(.+)$/.exec((bind.challenge as { qr: string }).qr)![1];
    const v = await kit.verifications.get(account.id, bind.verificationId);
    for (let i = 0; i < 8; i++) assert.equal((await kit.twoFactor.check(account, v, bind.factorId, '', request, 'zh-CN')).status, 'pending');
    assert.equal(await kit.verifications.approve(challengeId, { openid: 'o-123' }), true);
    assert.equal(await kit.verifications.approve(challengeId, { openid: 'o-123' }), false, 'approved once');
    const done = await kit.twoFactor.check(account, v, bind.factorId, '', request, 'zh-CN');
    assert.equal(done.status === 'verified' && done.twoFactorOn, true);
  });

  test('step-up: any bound method verifies a sensitive action once', async () => {
    const account = await kit.newAccount();
    await rejects(kit.twoFactor.beginStepUp(account), 'two_factor_off');
    const secret = await bindTotp(kit, account);
    const view = await kit.twoFactor.beginStepUp(account);
    assert.equal(await kit.twoFactor.useStepUp(account, view.id), false, 'not verified yet');
    const v = await kit.verifications.get(account.id, view.id);
    await kit.twoFactor.check(account, v, view.methods[0].id, kit.totpCode(secret), request, 'zh-CN');
    assert.equal(await kit.twoFactor.useStepUp(account, view.id), true);
    await rejects(kit.twoFactor.useStepUp(account, view.id), 'verification_done');
  });

  test('expired verifications and abandoned binds are swept when new ones are made', async () => {
    const account = await kit.newAccount();
    const abandoned = await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN');
    kit.clock.advance(11 * 60_000);
    await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN');
    assert.equal(await kit.factors.get(abandoned.factorId), undefined);
    const old = await getStore().db.selectFrom('verifications').select('id').where('id', '=', abandoned.verificationId).execute();
    assert.deepEqual(old, []);
  });

  test('verifications belong to their account; unknown ids are not found', async () => {
    const alice = await kit.newAccount();
    const bob = await kit.newAccount();
    const bind = await kit.twoFactor.beginBind(alice, 'totp', {}, request, 'zh-CN');
    await rejects(kit.verifications.get(bob.id, bind.verificationId), 'verification_not_found');
    await rejects(kit.verifications.get(alice.id, 'nope'), 'verification_not_found');
    const v = await kit.verifications.get(alice.id, bind.verificationId);
    kit.clock.advance(10 * 60_000);
    await rejects(kit.verifications.get(alice.id, v.id), 'verification_expired');
  });

  test('C7 X8 trusted devices: bound to the account, expire after 30 days, removed one or all; method changes revoke trust', async () => {
    const alice = await kit.newAccount();
    const bob = await kit.newAccount();
    const first = await kit.trusted.trust(alice.id, request);
    const second = await kit.trusted.trust(alice.id, { ip: '198.51.100.1', userAgent: 'Firefox' });
    assert.equal(await kit.trusted.isTrusted(alice.id, first.token), true);
    assert.equal(await kit.trusted.isTrusted(bob.id, first.token), false, 'a device cookie trusts only its account');
    assert.equal(await kit.trusted.isTrusted(alice.id, undefined), false);
    assert.equal(await kit.trusted.isTrusted(alice.id, 'forged'), false);
    const stored = await getStore().db.selectFrom('trusted_devices').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== first.token && r.token_hash !== second.token), 'tokens stored hashed');

    const listed = await kit.trusted.list(alice.id);
    assert.equal(listed.length, 2);
    assert.equal(await kit.trusted.remove(bob.id, listed[0].id, request), false);
    assert.equal(await kit.trusted.remove(alice.id, listed.find((d) => d.userAgent === 'Firefox')!.id, request), true);
    assert.equal(await kit.trusted.isTrusted(alice.id, second.token), false);
    assert.equal(await kit.trusted.isTrusted(alice.id, first.token), true);

    kit.clock.advance(30 * 24 * 60 * 60_000);
    assert.equal(await kit.trusted.isTrusted(alice.id, first.token), false, 'expired after 30 days');
    assert.deepEqual(await kit.trusted.list(alice.id), []);

    const third = await kit.trusted.trust(alice.id, request);
    await bindTotp(kit, alice);
    assert.equal(await kit.trusted.isTrusted(alice.id, third.token), false, 'binding a method revokes all trust');
    const fourth = await kit.trusted.trust(alice.id, request);
    assert.equal(await kit.trusted.removeAll(alice.id, request), 1);
    assert.equal(await kit.trusted.isTrusted(alice.id, fourth.token), false);
    const types = (await kit.audit.list(alice.id)).map((e) => e.type);
    for (const type of ['device_trusted', 'device_trust_removed', 'device_trust_removed_all']) assert.ok(types.includes(type), type);
  });
});
