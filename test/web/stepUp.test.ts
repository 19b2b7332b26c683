import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, demo, stepUpOverHttp, testWeb, totpCode, type TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

let n = 0;
async function newUser(): Promise<{ b: TestBrowser; address: string; password: string }> {
  const address = `sudo${n++}@example.test`;
  const password = 'a long test passphrase';
  await web.ctx.accounts.create({ address, password });
  const b = web.browser(`198.51.100.${100 + n}`);
  assert.equal((await b.login(address, password)).json().status, 'ok');
  return { b, address, password };
}

/** Signs `address` in again on a new browser, through step 2 with the authenticator. */
async function signInWithTotp(address: string, password: string, secret: string): Promise<TestBrowser> {
  const b = web.browser(`203.0.113.${n++}`);
  const step1 = (await b.login(address, password)).json();
  web.clock.advance(30_000);
  const done = await b.request('POST', '/api/login/second-factor', { factorId: step1.default, code: totpCode(web, secret) });
  assert.equal(done.json().status, 'ok', done.body);
  return b;
}

test('X9 a signed-in session alone cannot create a client password: it asks for a step-up, then the action goes through', async () => {
  const { b, password } = await newUser();
  const refused = await b.request('POST', '/api/app-passwords', { name: '手机 Outlook' });
  assert.equal(refused.statusCode, 403);
  assert.deepEqual(refused.json().error, { code: 'step_up_required', message: '为了您的账户安全，请先完成验证。', params: { action: 'create_app_password' } });
  assert.deepEqual((await b.request('POST', '/api/step-up')).json(), { method: 'password' });
  const wrong = await b.request('POST', '/api/step-up/password', { password: 'not my password' });
  assert.deepEqual([wrong.statusCode, wrong.json().error.code], [400, 'wrong_password']);
  const before = b.cookies.get('postern_session');
  const passed = await b.request('POST', '/api/step-up/password', { password });
  assert.equal(passed.json().status, 'verified');
  assert.notEqual(b.cookies.get('postern_session'), before, 'the session id is rotated at step-up');
  assert.ok(passed.json().session.account.stepUpUntil > web.clock.now().getTime());
  assert.equal((await b.request('POST', '/api/app-passwords', { name: '手机 Outlook' })).statusCode, 200);
  assert.equal((await b.request('POST', '/api/app-passwords', { name: 'iPad' })).statusCode, 200, 'several actions, one verification');
  web.clock.advance(10 * 60_000 + 1);
  assert.equal((await b.request('POST', '/api/app-passwords', { name: 'later' })).statusCode, 403, 'sudo mode lasts 10 minutes');
});

test('X9 with 2FA on, neither signing in nor binding opens sudo mode: another method, recovery codes, unbinding and the password need a factor', async () => {
  const { b, address, password } = await newUser();
  const { secret } = await bindTotpOverHttp(web, b);
  const fresh = await signInWithTotp(address, password, secret);
  for (const [url, body] of [
    ['/api/2fa/bind', { kind: 'backupEmail', input: { address: 'mine@qq.com' } }],
    ['/api/2fa/recovery', undefined],
    ['/api/password', { currentPassword: password, newPassword: 'Another-long-pass-2026!' }],
  ] as const) {
    const res = await fresh.request('POST', url, body);
    assert.deepEqual([res.statusCode, res.json().error.code], [403, 'step_up_required'], url);
  }
  const factorId = (await fresh.request('GET', '/api/2fa')).json().methods.find((m: { kind: string }) => m.kind === 'totp').factor.id;
  assert.equal((await fresh.request('POST', `/api/2fa/factors/${factorId}/unbind`)).statusCode, 403);
  const begin = (await fresh.request('POST', '/api/step-up')).json();
  assert.equal(begin.method, 'verification');
  assert.deepEqual(begin.verification.methods.map((m: { kind: string }) => m.kind), ['totp']);
  assert.equal((await fresh.request('POST', '/api/step-up/password', { password })).statusCode, 400, 'with 2FA on the password is not enough');
  await stepUpOverHttp(web, fresh, secret);
  const bound = await fresh.request('POST', '/api/2fa/bind', { kind: 'backupEmail', input: { address: 'mine@qq.com' } });
  assert.equal(bound.statusCode, 200, bound.body);
});

test('X9 binding the first method needs no extra step within 10 minutes of signing in; later the main password', async () => {
  const { b, password } = await newUser();
  web.clock.advance(10 * 60_000 + 1);
  const late = await b.request('POST', '/api/2fa/bind', { kind: 'totp' });
  assert.equal(late.json().error.code, 'step_up_required');
  await stepUpOverHttp(web, b, undefined, password);
  assert.equal((await b.request('POST', '/api/2fa/bind', { kind: 'totp' })).statusCode, 200);
});

test('X9 the session id is rotated when 2FA turns on; the page keeps working with its CSRF token', async () => {
  const { b } = await newUser();
  const before = b.cookies.get('postern_session');
  await bindTotpOverHttp(web, b);
  assert.notEqual(b.cookies.get('postern_session'), before);
  assert.equal((await b.request('POST', '/api/trusted-devices/remove-all')).statusCode, 200);
});

test('X9 a step-up that failed 5 times tells the owner (once)', async () => {
  const { b, address } = await newUser();
  for (let i = 0; i < 7; i++) await b.request('POST', '/api/step-up/password', { password: `guess ${i}` });
  await web.ctx.notices.settled();
  const account = await web.ctx.accounts.get(address);
  const types = (await web.ctx.audit.list(account.id)).map((e) => e.type);
  assert.equal(types.filter((t) => t === 'step_up_failed').length, 7);
  assert.equal(types.filter((t) => t === 'step_up_failed_repeatedly').length, 1);
  const inbox = await web.ctx.mail.mailbox(account.id, 'INBOX');
  assert.deepEqual((await web.ctx.mail.messages(inbox.id)).map((m) => m.subject), ['【安全提醒】您的邮箱安全验证连续失败']);
});

test('X9 the CLI (operator) path needs no step-up', async () => {
  const account = await web.ctx.accounts.get(demo.address);
  assert.ok((await web.ctx.appPasswords.create(account.id, 'cli')).password);
});
