import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, stepUpOverHttp, testWeb, totpCode, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

test('X2 recovery codes over HTTP: only with 2FA on and after a verification; step 2 takes a code once', async () => {
  const early = web.browser('198.51.100.29');
  assert.equal((await early.login()).json().status, 'ok');
  const off = await early.request('POST', '/api/2fa/recovery');
  assert.deepEqual([off.statusCode, off.json().error.code], [403, 'step_up_required']);
  await stepUpOverHttp(web, early);
  const offInSudo = await early.request('POST', '/api/2fa/recovery');
  assert.deepEqual([offInSudo.statusCode, offInSudo.json().error.code], [400, 'recovery_codes_need_two_factor']);

  const owner = web.browser();
  assert.equal((await owner.login()).json().status, 'ok');

  const { secret } = await bindTotpOverHttp(web, owner);
  assert.equal((await owner.request('GET', '/api/2fa')).json().recovery, null);
  const { verification: view } = (await owner.request('POST', '/api/step-up')).json();
  assert.equal(view.purpose, 'step_up');
  const unverified = await owner.request('POST', '/api/2fa/recovery');
  assert.deepEqual([unverified.statusCode, unverified.json().error.message], [403, '为了您的账户安全，请先完成验证。']);
  const factorId = view.methods[0].id;
  const code = totpCode(web, secret);
  await owner.request('POST', `/api/2fa/verifications/${view.id}/check`, { factorId, code });
  const { codes } = (await owner.request('POST', '/api/2fa/recovery')).json();
  assert.equal(codes.length, 10);
  assert.equal((await owner.request('POST', `/api/2fa/verifications/${view.id}/check`, { factorId, code })).statusCode, 409, 'a step-up is answered once');
  assert.deepEqual((await owner.request('GET', '/api/2fa')).json().recovery, { left: 10, total: 10, low: false, generatedAt: web.clock.now().toISOString() });

  const b = web.browser('198.51.100.30');
  const step1 = (await b.login()).json();
  const recovery = step1.methods.find((m: { kind: string }) => m.kind === 'recovery');
  assert.equal(recovery.style, 'app');
  assert.equal((await b.request('POST', '/api/login/second-factor', { factorId: recovery.id, code: codes[0] })).json().status, 'ok');
  const again = web.browser('198.51.100.31');
  await again.login();
  const reused = await again.request('POST', '/api/login/second-factor', { factorId: recovery.id, code: codes[0] });
  assert.deepEqual([reused.statusCode, reused.json().error.message], [400, '该恢复码已使用过，每个恢复码只能使用一次。']);
});
