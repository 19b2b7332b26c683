import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SoftAuthenticator } from '../helpers/softAuthenticator.ts';
import { demo, testWeb, type TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const origin = 'http://localhost:8080';

async function bindKey(b: TestBrowser, key: SoftAuthenticator, name: string) {
  const bind = await b.request('POST', '/api/2fa/bind', { kind: 'webauthn', input: { name } });
  assert.equal(bind.statusCode, 200, bind.body);
  const { verificationId, factorId, challenge } = bind.json();
  const check = await b.request('POST', `/api/2fa/verifications/${verificationId}/check`, { factorId, code: key.create(challenge.options, origin) });
  assert.equal(check.json().status, 'verified', check.body);
  return factorId as string;
}

test('X1 X9 over HTTP: another key needs a step-up, a passkey signs in with no password, bad answers get clear errors', async () => {
  const owner = web.browser();
  assert.equal((await owner.login()).json().status, 'ok');
  const key = new SoftAuthenticator();
  const factorId = await bindKey(owner, key, '我的笔记本');
  const again = await owner.request('POST', '/api/2fa/bind', { kind: 'webauthn', input: { name: 'YubiKey' } });
  assert.deepEqual([again.statusCode, again.json().error.code], [403, 'step_up_required']);
  const rename = await owner.request('POST', `/api/2fa/factors/${factorId}/rename`, { name: ' ' });
  assert.deepEqual([rename.statusCode, rename.json().error.code], [400, 'invalid_key_name']);

  const stranger = web.browser('198.51.100.9');
  await stranger.request('GET', '/api/session');
  const { options } = (await stranger.request('POST', '/api/login/passkey/options')).json();
  assert.equal(options.userVerification, 'required');
  assert.deepEqual(options.allowCredentials ?? [], [], 'any discoverable passkey of this site');
  const signedIn = await stranger.request('POST', '/api/login/passkey', { response: key.get(options.challenge, origin, 'localhost') });
  assert.equal(signedIn.json().status, 'ok', signedIn.body);
  assert.equal(signedIn.json().session.account.address, demo.address);
  assert.equal((await stranger.request('GET', '/api/2fa')).statusCode, 200, 'the session is a full one');

  const other = web.browser('198.51.100.10');
  await other.request('GET', '/api/session');
  const unknown = await other.request('POST', '/api/login/passkey', { response: '{"id":"x"}' });
  assert.deepEqual([unknown.statusCode, unknown.json().error.code], [401, 'passkey_unknown']);
  const huge = await other.request('POST', '/api/login/passkey', { response: 'x'.repeat(20_000) });
  assert.deepEqual([huge.statusCode, huge.json().error.code], [400, 'validation']);
});
