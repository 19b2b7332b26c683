import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demo, testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

test('A state-changing request without the X-CSRF-Token header is refused with 403 and nothing happens', async () => {
  const b = web.browser();
  await b.open();
  const res = await b.request('POST', '/api/login', demo, { 'x-csrf-token': '' });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'csrf');
  assert.match(res.json().error.message, /刷新页面/);
  assert.equal(res.cookies.find((c) => c.name === 'postern_session'), undefined);
});

test('A signed-in request with a wrong or another session\'s CSRF token is refused with 403', async () => {
  const alice = web.browser();
  const mallory = web.browser();
  assert.equal((await alice.login()).statusCode, 200);
  await mallory.open();
  const res = await alice.request('POST', '/api/devices/sign-out-others', {}, { 'x-csrf-token': mallory.csrfToken });
  assert.equal(res.statusCode, 403);
  assert.equal((await alice.request('POST', '/api/devices/sign-out-others', {}, { 'x-csrf-token': 'x'.repeat(43) })).statusCode, 403);
  assert.equal((await alice.request('POST', '/api/devices/sign-out-others', {})).statusCode, 200);
});

test('The login token before sign-in is replaced by a session-bound one after it', async () => {
  const b = web.browser();
  await b.open();
  const before = b.csrfToken;
  await b.login();
  assert.notEqual(b.csrfToken, before);
  const res = await b.request('POST', '/api/logout', {}, { 'x-csrf-token': before });
  assert.equal(res.statusCode, 403);
});

test('A request from a foreign Origin is refused even with a valid token', async () => {
  const b = web.browser();
  await b.login();
  const res = await b.request('POST', '/api/logout', {}, { origin: 'https://evil.example' });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'forbidden_origin');
  assert.equal((await b.request('POST', '/api/logout', {}, { origin: 'http://localhost:80' })).statusCode, 200);
});
