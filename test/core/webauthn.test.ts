import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import pino from 'pino';
import type { OutgoingMail } from '../../src/core/messagePorts.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { SecurityNotices } from '../../src/core/securityNotices.ts';
import { relyingPartyOf } from '../../src/core/webauthn.ts';
import { renderSecurityNotice } from '../../src/mail/templates/securityNotice.ts';
import { rejects } from '../helpers/assertions.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { SoftAuthenticator } from '../helpers/softAuthenticator.ts';
import { bindTotp, relyingParty, request, twoFactorKit, type TwoFactorKit } from '../helpers/twoFactor.ts';

const origin = relyingParty.origin;
type Options = { challenge: string; rp: { id?: string }; user: { id: string } };

/** Binds `key` as a new factor named `name` the way the bind dialog does; returns the factor id. */
async function bindKey(kit: TwoFactorKit, account: AccountRecord, key: SoftAuthenticator, name: string, changeId?: string): Promise<string> {
  const bind = await kit.twoFactor.beginBind(account, 'webauthn', { name }, request, 'zh-CN', changeId);
  const { options } = bind.challenge as { options: Options };
  const v = await kit.verifications.get(account.id, bind.verificationId);
  const done = await kit.twoFactor.check(account, v, bind.factorId, key.create(options, origin), request, 'zh-CN');
  assert.equal(done.status, 'verified');
  // Methods are listed in the order they were bound: the fake clock must tell the bindings apart.
  kit.clock.advance(1000);
  return bind.factorId;
}

/** Opens a step-up verification and the challenge of `factorId`; returns what the key is to sign. */
async function stepUpChallenge(kit: TwoFactorKit, account: AccountRecord, factorId: string) {
  const view = await kit.twoFactor.beginStepUp(account);
  const v = await kit.verifications.get(account.id, view.id);
  const started = await kit.twoFactor.start(account, v, factorId, request, 'zh-CN');
  return { v, challenge: (started.display as { options: { challenge: string } }).options.challenge };
}

async function passwordlessChallenge(kit: TwoFactorKit): Promise<string> {
  return (await kit.login.passkeyOptions({ ip: '203.0.113.9', userAgent: null })).challenge;
}

forEachDatabase('Security keys and passkeys (WebAuthn)', (getStore) => {
  let kit: TwoFactorKit;
  let notices: OutgoingMail[];
  let settled: () => Promise<void>;
  beforeEach(() => {
    kit = twoFactorKit(getStore());
    notices = [];
    const securityNotices = new SecurityNotices({
      accounts: kit.accounts.repo,
      audit: kit.audit,
      effects: kit.effects,
      backupEmail: async () => null,
      twoFactorOn: async () => true,
      deliverLocal: async (_id, mail) => void notices.push(mail),
      mailOut: { send: async () => {} },
      render: renderSecurityNotice,
      log: pino({ level: 'silent' }),
      timeZone: 'Asia/Shanghai',
      publicUrl: origin,
      help: { phone: '', email: '' },
    });
    settled = () => securityNotices.settled();
  });

  test('X1 a passkey binds, answers step 2, and alone signs in without a password', async () => {
    const account = await kit.newAccount();
    const key = new SoftAuthenticator({ uv: true, discoverable: true });
    const factorId = await bindKey(kit, account, key, '我的笔记本');
    const overview = await kit.twoFactor.overview(account.id);
    assert.equal(overview.on, true, 'binding the first key turns 2FA on');
    const card = overview.methods.find((m) => m.kind === 'webauthn')!;
    assert.deepEqual(card.factors.map((f) => [f.label, f.style, f.hint]), [['我的笔记本', 'key', 'cross-platform']]);

    const pending = await kit.login.password(account.address, 'a long test passphrase', request);
    assert.equal(pending.state, 'second_factor_pending');
    if (pending.state !== 'second_factor_pending') return;
    const started = await kit.login.start(pending.token, factorId, request, 'zh-CN');
    const { options } = started.display as { options: { challenge: string; allowCredentials: { id: string }[]; userVerification: string } };
    assert.deepEqual(options.allowCredentials.map((c) => c.id), [key.credentialId], 'only this key may answer');
    const done = await kit.login.answer(pending.token, { factorId, code: key.get(options.challenge, origin, relyingParty.id), trust: false }, request, 'zh-CN');
    assert.equal(done.state, 'done');

    const signedIn = await kit.login.passkey(key.get(await passwordlessChallenge(kit), origin, relyingParty.id), request, 'zh-CN');
    assert.equal(signedIn.state, 'done');
    assert.equal(signedIn.account.id, account.id);
    const [last] = await kit.audit.list(account.id);
    assert.deepEqual([last.type, last.detail], ['login_succeeded', { secondFactor: true, passkey: true }]);
    assert.ok((await kit.factors.get(factorId))!.lastUsedAt, 'last used is shown in the list');
  });

  test('X1 X4 a replayed assertion, a wrong origin, a wrong RP ID, a counter going back and another account\'s key are refused, audited and noticed', async () => {
    const account = await kit.newAccount();
    const key = new SoftAuthenticator();
    const factorId = await bindKey(kit, account, key, 'YubiKey');
    const other = await kit.newAccount();
    const otherKey = new SoftAuthenticator();
    await bindKey(kit, other, otherKey, 'Other YubiKey');

    const refusals: [string, (challenge: string) => string][] = [];
    let previous = '';
    refusals.push(['challenge', () => previous]);
    refusals.push(['origin', (c) => key.get(c, 'https://postern.example.evil', relyingParty.id)]);
    refusals.push(['rp_id', (c) => key.get(c, origin, 'example.evil')]);
    refusals.push(['counter', (c) => {
      // Back to the count of the first answer: a cloned key that lags behind.
      key.counter = 0;
      return key.get(c, origin, relyingParty.id);
    }]);
    refusals.push(['credential', (c) => otherKey.get(c, origin, relyingParty.id)]);

    // A good answer first, the one replayed below.
    const first = await stepUpChallenge(kit, account, factorId);
    previous = key.get(first.challenge, origin, relyingParty.id);
    assert.equal((await kit.twoFactor.check(account, first.v, factorId, previous, request, 'zh-CN')).status, 'verified');

    for (const [reason, answer] of refusals) {
      const { v, challenge } = await stepUpChallenge(kit, account, factorId);
      await rejects(kit.twoFactor.check(account, v, factorId, answer(challenge), request, 'zh-CN'), 'key_refused');
      const [event] = await kit.audit.list(account.id);
      assert.deepEqual([event.type, event.detail], ['second_factor_failed', { method: 'webauthn', purpose: 'step_up', reason, suspicious: true }], reason);
    }
    const refusedNotices = async () => {
      await settled();
      return notices.filter((n) => n.subject === '【安全提醒】您邮箱的一次安全密钥验证被拒绝');
    };
    assert.equal((await refusedNotices()).length, refusals.length, 'the owner is told of each');
    assert.ok((await refusedNotices()).every((n) => n.to === account.address));

    // Passwordless: the replay of a used sign-in answer, and another account's key claiming this account.
    const signIn = key.get(await passwordlessChallenge(kit), origin, relyingParty.id);
    assert.equal((await kit.login.passkey(signIn, request, 'zh-CN')).state, 'done');
    await rejects(kit.login.passkey(signIn, request, 'zh-CN'), 'key_refused');
    const foreign = otherKey.claiming(key, otherKey.get(await passwordlessChallenge(kit), origin, relyingParty.id));
    await rejects(kit.login.passkey(foreign, request, 'zh-CN'), 'key_refused');
    const reasons = (await kit.audit.list(account.id)).filter((e) => e.type === 'second_factor_failed' && e.detail.purpose === 'login').map((e) => e.detail.reason);
    assert.deepEqual(reasons, ['credential', 'challenge']);
    assert.equal((await refusedNotices()).length, refusals.length + 2);
  });

  test('X1 a security key without user verification is a second step only; passkeys are several, renamed, unbound by themselves', async () => {
    const account = await kit.newAccount();
    const passkey = new SoftAuthenticator({ uv: true, discoverable: true, synced: true, counts: false });
    const securityKey = new SoftAuthenticator({ uv: false, discoverable: false });
    const passkeyId = await bindKey(kit, account, passkey, 'iPhone');
    const securityKeyId = await bindKey(kit, account, securityKey, 'YubiKey');
    assert.equal(await kit.twoFactor.bindNeedsStepUp(account.id, 'webauthn'), true, 'another key needs a step-up too');

    await rejects(kit.login.passkey(securityKey.get(await passwordlessChallenge(kit), origin, relyingParty.id), request, 'zh-CN'), 'key_refused');
    const synced = await kit.login.passkey(passkey.get(await passwordlessChallenge(kit), origin, relyingParty.id), request, 'zh-CN');
    assert.equal(synced.state, 'done', 'a synced passkey without a counter (always 0) signs in');

    await kit.twoFactor.rename(account, securityKeyId, { name: '办公室 YubiKey' });
    await rejects(kit.twoFactor.rename(account, securityKeyId, { name: ' ' }), 'invalid_key_name');
    const card = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'webauthn')!;
    assert.deepEqual(card.factors.map((f) => [f.label, f.hint]), [['iPhone', 'synced'], ['办公室 YubiKey', 'cross-platform']]);

    // Unbinding the YubiKey: only it may answer, so the passkey's answer is refused.
    const unbind = await kit.twoFactor.beginUnbind(account, securityKeyId);
    assert.deepEqual(unbind.methods.map((m) => m.id), [securityKeyId]);
    const v = await kit.verifications.get(account.id, unbind.id);
    await rejects(kit.twoFactor.start(account, v, passkeyId, request, 'zh-CN'), 'method_not_allowed');
    const started = await kit.twoFactor.start(account, v, securityKeyId, request, 'zh-CN');
    const challenge = (started.display as { options: { challenge: string } }).options.challenge;
    await rejects(kit.twoFactor.check(account, v, securityKeyId, passkey.get(challenge, origin, relyingParty.id), request, 'zh-CN'), 'key_refused');
    const unbound = await kit.twoFactor.check(account, v, securityKeyId, securityKey.get(challenge, origin, relyingParty.id), request, 'zh-CN');
    assert.equal(unbound.status === 'verified' && unbound.twoFactorOn, true, 'the passkey still stands');

    // Changing the passkey is verified by any method (TOTP here) and replaces only it.
    await bindTotp(kit, account);
    const totp = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'totp')!.factor!;
    const change = await kit.twoFactor.beginChange(account, passkeyId);
    assert.ok(change.methods.some((m) => m.id === totp.id));
    const secret = (await kit.factors.get(totp.id))!;
    assert.ok(secret);
    const changeV = await kit.verifications.get(account.id, change.id);
    const code = kit.totpCode((JSON.parse(kit.box.open(secret.sealedData, account.id)) as { secret: string }).secret);
    assert.equal((await kit.twoFactor.check(account, changeV, totp.id, code, request, 'zh-CN')).status, 'verified');
    const replacement = new SoftAuthenticator();
    await bindKey(kit, account, replacement, 'New iPhone', change.id);
    const keys = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'webauthn')!.factors;
    assert.deepEqual(keys.map((f) => f.label), ['New iPhone']);
  });

  test('X1 a key bound already is excluded from the next binding, and refused if it answers anyway', async () => {
    const account = await kit.newAccount();
    const key = new SoftAuthenticator({ uv: true, discoverable: true });
    await bindKey(kit, account, key, 'YubiKey');
    const again = await kit.twoFactor.beginBind(account, 'webauthn', { name: 'YubiKey again' }, request, 'zh-CN');
    const { options } = again.challenge as { options: Options & { excludeCredentials: { id: string }[] } };
    assert.deepEqual(options.excludeCredentials.map((c) => c.id), [key.credentialId]);
    const v = await kit.verifications.get(account.id, again.verificationId);
    await rejects(kit.twoFactor.check(account, v, again.factorId, key.create(options, origin), request, 'zh-CN'), 'key_already_bound');
    const keys = (await kit.twoFactor.overview(account.id)).methods.find((m) => m.kind === 'webauthn')!.factors;
    assert.deepEqual(keys.map((f) => f.label), ['YubiKey']);
  });

  test('X1 an address asking for passwordless options without end is held after 600 a minute; other addresses are not', async () => {
    const from = { ip: '198.51.100.7', userAgent: null };
    for (let i = 0; i < 600; i++) await kit.login.passkeyOptions(from);
    await rejects(kit.login.passkeyOptions(from), 'too_many_attempts');
    assert.ok((await kit.login.passkeyOptions({ ip: '198.51.100.8', userAgent: null })).challenge);
  });
});

test('X1 passkeys need a domain name and a matching https origin', () => {
  assert.deepEqual(relyingPartyOf('https://mail.example.edu'), { id: 'mail.example.edu', origin: 'https://mail.example.edu', name: 'Postern' });
  assert.equal(typeof relyingPartyOf('https://mail.example.edu', 'example.edu'), 'object', 'a parent domain may be the RP ID');
  assert.match(relyingPartyOf('https://203.0.113.7') as string, /IP address/);
  assert.match(relyingPartyOf('https://mail.example.edu', 'example.com') as string, /does not match the origin https:\/\/mail.example.edu/);
  assert.match(relyingPartyOf('http://mail.example.edu') as string, /https/);
  assert.equal(typeof relyingPartyOf('http://localhost:8080'), 'object', 'localhost is a secure context');
});
