import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, testWeb, totpCode, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

test('X2 recovery codes over HTTP: only with 2FA on and after a verification; step 2 takes a code once', async () => {
  const owner = web.browser();
  assert.equal((await owner.login()).json().status, 'ok');
  const off = await owner.request('POST', '/api/2fa/recovery/verify');
  assert.deepEqual([off.statusCode, off.json().error.code], [400, 'two_factor_off']);
  const bad = await owner.request('POST', '/api/2fa/recovery', { verificationId: '../x' });
  assert.equal(bad.statusCode, 400);

  const { secret, factorId } = await bindTotpOverHttp(web, owner);
  assert.equal((await owner.request('GET', '/api/2fa')).json().recovery, null);
  const view = (await owner.request('POST', '/api/2fa/recovery/verify')).json();
  assert.equal(view.purpose, 'step_up');
  const unverified = await owner.request('POST', '/api/2fa/recovery', { verificationId: view.id });
  assert.deepEqual([unverified.statusCode, unverified.json().error.message], [403, '请先完成身份验证。']);
  await owner.request('POST', `/api/2fa/verifications/${view.id}/check`, { factorId, code: totpCode(web, secret) });
  const { codes } = (await owner.request('POST', '/api/2fa/recovery', { verificationId: view.id })).json();
  assert.equal(codes.length, 10);
  assert.equal((await owner.request('POST', '/api/2fa/recovery', { verificationId: view.id })).statusCode, 409, 'one verification, one set');
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
