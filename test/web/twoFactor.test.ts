import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, demo, stepUpOverHttp, testWeb, totpCode, type TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const codeFor = (secret: string, stepOffset = 0) => totpCode(web, secret, stepOffset);
const nextStep = () => web.clock.advance(30_000);

async function signedIn(ip = '127.0.0.1'): Promise<TestBrowser> {
  const b = web.browser(ip);
  const res = await b.login();
  assert.equal(res.json().status, 'ok', res.body);
  return b;
}

const bindTotp = (b: TestBrowser) => bindTotpOverHttp(web, b);

async function unbindAll(b: TestBrowser, secret: string, factorId: string) {
  await stepUpOverHttp(web, b, secret);
  const view = (await b.request('POST', `/api/2fa/factors/${factorId}/unbind`)).json();
  const res = await b.request('POST', `/api/2fa/verifications/${view.id}/check`, { factorId, code: codeFor(secret) });
  assert.equal(res.json().twoFactorOn, false);
}

test('C1 C2 with 2FA on, the right password leads to step 2; nothing is reachable until the second factor is given', async () => {
  const owner = await signedIn();
  const overview = (await owner.request('GET', '/api/2fa')).json();
  assert.equal(overview.on, false);
  assert.deepEqual(overview.methods.map((m: { kind: string; available: boolean }) => [m.kind, m.available]), [
    ['backupEmail', true], ['wechat', true], ['sms', true], ['totp', true], ['webauthn', true],
  ]);
  const { secret, factorId } = await bindTotp(owner);

  const b = web.browser('198.51.100.20');
  const step1 = await b.login();
  assert.equal(step1.statusCode, 200);
  const body = step1.json();
  assert.equal(body.status, 'second_factor');
  assert.deepEqual(body.methods.map((m: { id: string; kind: string; style: string }) => [m.id, m.kind, m.style]), [[factorId, 'totp', 'app']]);
  assert.equal(body.default, factorId);
  assert.equal((await b.request('GET', '/api/session')).json().account, null, 'no session between the steps');
  assert.equal((await b.request('GET', '/api/2fa')).statusCode, 401);
  assert.equal((await b.request('GET', '/api/login/second-factor')).json().default, factorId);

  const stranger = web.browser('198.51.100.21');
  await stranger.open();
  const noStep1 = await stranger.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret) });
  assert.equal(noStep1.statusCode, 401);
  assert.equal(noStep1.json().error.message, '登录已超时或未完成第一步，请重新输入账号和密码。');

  const wrong = await b.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret, 5) });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.message, '验证码错误，还可尝试 4 次。');
  const malformed = await b.request('POST', '/api/login/second-factor', { factorId, code: '12ab' });
  assert.equal(malformed.json().error.code, 'invalid_code_format');
  const ok = await b.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret) });
  assert.equal(ok.json().status, 'ok');
  assert.equal(ok.json().session.account.address, demo.address);
  assert.equal((await b.request('GET', '/api/2fa')).json().on, true);
  const again = await b.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret) });
  assert.equal(again.statusCode, 401, 'the pending login is gone once used');

  const events = await web.ctx.audit.list((await web.ctx.accounts.get(demo.address)).id);
  assert.ok(events.some((e) => e.type === 'login_succeeded' && e.detail.secondFactor === true && e.ip === '198.51.100.20'));
  await unbindAll(owner, secret, factorId);
});

test('C6 a replayed TOTP code and a 6th wrong try are refused with their messages', async () => {
  const owner = await signedIn();
  const { secret, factorId } = await bindTotp(owner);
  nextStep();
  const code = codeFor(secret);
  const first = web.browser('203.0.113.30');
  assert.equal((await first.login()).json().status, 'second_factor');
  assert.equal((await first.request('POST', '/api/login/second-factor', { factorId, code })).json().status, 'ok');

  const replay = web.browser('203.0.113.31');
  await replay.login();
  const reused = await replay.request('POST', '/api/login/second-factor', { factorId, code });
  assert.equal(reused.statusCode, 400);
  assert.equal(reused.json().error.message, '该验证码已使用过，请等待应用显示新的验证码后再输入。');

  const wrong = codeFor(secret, 7);
  const statuses: string[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await replay.request('POST', '/api/login/second-factor', { factorId, code: wrong })).json().error.code);
  assert.deepEqual(statuses, ['wrong_code', 'wrong_code', 'wrong_code', 'second_factor_attempts_exhausted']);
  const sixth = await replay.request('POST', '/api/login/second-factor', { factorId, code: wrong });
  assert.equal(sixth.statusCode, 429);
  assert.equal(sixth.json().error.message, '该验证方式验证失败次数过多，请切换其他验证方式，或等待 60 秒后重试。');
  web.clock.advance(60_000);
  assert.equal((await replay.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret) })).json().status, 'ok');
  await unbindAll(owner, secret, factorId);
});

test('C7 X8 a trusted browser skips step 2 until trust is removed; a password change removes all trust', async () => {
  const owner = await signedIn();
  const { secret, factorId } = await bindTotp(owner);
  const laptop = web.browser('203.0.113.40');
  await laptop.login();
  const trusted = await laptop.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret), trust: true });
  assert.equal(trusted.json().status, 'ok');
  assert.ok(laptop.cookies.has('postern_trust'));
  await laptop.request('POST', '/api/logout');
  assert.equal((await laptop.login()).json().status, 'ok', 'no step 2 on a trusted browser');
  const other = web.browser('203.0.113.41');
  assert.equal((await other.login()).json().status, 'second_factor', 'other browsers are still asked');

  const list = (await owner.request('GET', '/api/trusted-devices')).json().devices;
  assert.equal(list.length, 1);
  assert.equal(list[0].ip, '203.0.113.40');
  assert.match(list[0].browser, /^Chrome \d+/);
  const days = (list[0].expiresAt - list[0].trustedAt) / 86_400_000;
  assert.equal(days, 30);
  assert.equal((await owner.request('DELETE', '/api/trusted-devices/nope')).json().error.code, 'trusted_device_not_found');
  assert.deepEqual((await owner.request('DELETE', `/api/trusted-devices/${list[0].id}`)).json(), { count: 1 });
  await laptop.request('POST', '/api/logout');
  assert.equal((await laptop.login()).json().status, 'second_factor', 'asked again after trust was removed');

  nextStep();
  await laptop.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret), trust: true });
  await stepUpOverHttp(web, owner, secret);
  const changed = await owner.request('POST', '/api/password', { currentPassword: demo.password, newPassword: 'Another-pass-2026!' });
  assert.equal(changed.statusCode, 200, changed.body);
  await owner.request('POST', '/api/password', { currentPassword: 'Another-pass-2026!', newPassword: demo.password });
  assert.deepEqual((await owner.request('GET', '/api/trusted-devices')).json().devices, []);
  const fresh = web.browser('203.0.113.40');
  fresh.cookies.set('postern_trust', laptop.cookies.get('postern_trust')!);
  assert.equal((await fresh.login()).json().status, 'second_factor');

  for (const ip of ['203.0.113.42', '203.0.113.43']) {
    nextStep();
    const b = web.browser(ip);
    await b.login();
    await b.request('POST', '/api/login/second-factor', { factorId, code: codeFor(secret), trust: true });
  }
  assert.deepEqual((await owner.request('POST', '/api/trusted-devices/remove-all')).json(), { count: 2 });
  assert.deepEqual((await owner.request('GET', '/api/trusted-devices')).json().devices, []);
  await unbindAll(owner, secret, factorId);
});

test('D7 D8 D9 change TOTP verified with the old app, then unbind the last method: login is one step again', async () => {
  const owner = await signedIn();
  const { secret, factorId } = await bindTotp(owner);
  const change = (await owner.request('POST', `/api/2fa/factors/${factorId}/change`)).json();
  assert.equal(change.default, factorId);
  assert.equal((await owner.request('POST', '/api/2fa/bind', { kind: 'totp' })).json().error.code, 'method_already_bound');
  await owner.request('POST', `/api/2fa/verifications/${change.id}/check`, { factorId, code: codeFor(secret) });
  const bind = (await owner.request('POST', '/api/2fa/bind', { kind: 'totp', changeId: change.id })).json();
  const newSecret = bind.display.secret.replace(/ /g, '');
  nextStep();
  const confirmed = await owner.request('POST', `/api/2fa/verifications/${bind.verificationId}/check`, { factorId: bind.factorId, code: codeFor(newSecret) });
  assert.deepEqual(confirmed.json(), { status: 'verified', purpose: 'bind', twoFactorOn: true });

  const other = (await owner.request('GET', '/api/2fa')).json().methods.find((m: { kind: string }) => m.kind === 'totp').factor.id;
  assert.equal(other, bind.factorId);
  assert.equal((await owner.request('POST', `/api/2fa/factors/${factorId}/unbind`)).json().error.code, 'method_not_bound');
  const bad = await owner.request('POST', '/api/2fa/bind', { kind: 'carrier-pigeon' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'validation');

  await unbindAll(owner, newSecret, bind.factorId);
  const b = web.browser('203.0.113.50');
  assert.equal((await b.login()).json().status, 'ok', '2FA off: one step');
  const types = (await web.ctx.audit.list((await web.ctx.accounts.get(demo.address)).id)).map((e) => e.type);
  for (const type of ['method_bound', 'method_changed', 'method_unbound', 'device_trusted', 'device_trust_removed', 'device_trust_removed_all', 'login_succeeded', 'second_factor_failed']) {
    assert.ok(types.includes(type), type);
  }
});
