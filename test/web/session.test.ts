import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const minutes = (n: number) => n * 60_000;

test('The session cookie is HttpOnly, SameSite=Lax, path /, and not Secure over plain http', async () => {
  const res = await web.browser().login();
  const cookie = res.cookies.find((c) => c.name === 'postern_session')!;
  assert.ok(cookie);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.notEqual(cookie.secure, true);
  assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, '32 random bytes');
  assert.ok(cookie.maxAge! <= 12 * 3600);
});

test('The session cookie is Secure and __Host- prefixed when the public URL is https', async () => {
  const secure = await testWeb({ POSTERN_PUBLIC_URL: 'https://mail.example.edu' });
  try {
    const res = await secure.browser().login();
    const cookie = res.cookies.find((c) => c.name === '__Host-postern_session')!;
    assert.equal(cookie.secure, true);
    assert.deepEqual([cookie.path, cookie.domain], ['/', undefined], '__Host-: this host only, the whole site (ASVS 3.4.4)');
    assert.equal(res.cookies.find((c) => c.name === 'postern_session'), undefined);
  } finally {
    await secure.close();
  }
});

test('Only the SHA-256 of the session id is stored', async () => {
  const b = web.browser();
  await b.login();
  const id = b.cookies.get('postern_session')!;
  const rows = await web.ctx.store.db.selectFrom('web_sessions').select('id_hash').execute();
  assert.ok(rows.some((r) => r.id_hash === createHash('sha256').update(id).digest('base64url')));
  assert.ok(!rows.some((r) => r.id_hash === id));
});

test('Logging in again rotates the session id and ends the old session', async () => {
  const b = web.browser();
  await b.login();
  const old = b.cookies.get('postern_session')!;
  await b.login();
  const fresh = b.cookies.get('postern_session')!;
  assert.notEqual(fresh, old);
  const replay = await web.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: `postern_session=${old}` } });
  assert.equal(replay.statusCode, 401);
  // A request sent with the old id just before the rotation, answered after it, leaves the browser's new cookie alone.
  assert.equal(replay.headers['set-cookie'], undefined);
});

test('A session idle for 30 minutes expires: the next request gets 401 and the cookie is cleared', async () => {
  const b = web.browser();
  await b.login();
  web.clock.advance(minutes(29));
  assert.equal((await b.request('GET', '/api/devices')).statusCode, 200, 'activity within 30 minutes keeps it');
  web.clock.advance(minutes(29));
  assert.equal((await b.request('GET', '/api/devices')).statusCode, 200);
  web.clock.advance(minutes(31));
  const res = await b.request('GET', '/api/devices');
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'unauthenticated');
  assert.equal(b.cookies.has('postern_session'), false);
});

test('An expired session posting with its old CSRF token is told to sign in again (401), not a server error', async () => {
  const b = web.browser();
  await b.login();
  web.clock.advance(minutes(31));
  const res = await b.request('POST', '/api/devices/sign-out-others', {});
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'unauthenticated');
});

test('A session ends 12 hours after login however active it is', async () => {
  const b = web.browser();
  await b.login();
  for (let i = 0; i < 35; i++) {
    web.clock.advance(minutes(20));
    assert.equal((await b.request('GET', '/api/devices')).statusCode, 200, `after ${(i + 1) * 20} minutes`);
  }
  web.clock.advance(minutes(20));
  assert.equal((await b.request('GET', '/api/devices')).statusCode, 401);
});

test('A tampered or unknown session cookie is no session: 401 on account pages, a clean anonymous /api/session', async () => {
  for (const value of ['x'.repeat(43), 'short', '%00%ff', 'a'.repeat(5000)]) {
    const res = await web.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: `postern_session=${value}` } });
    assert.equal(res.statusCode, 401, value);
    const session = await web.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `postern_session=${value}` } });
    assert.equal(session.statusCode, 200);
    assert.equal(session.json().account, null);
  }
});

test('Logout ends the session on the server, not only in the browser', async () => {
  const b = web.browser();
  await b.login();
  const id = b.cookies.get('postern_session')!;
  const res = await b.request('POST', '/api/logout', {});
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().account, null);
  assert.equal(b.cookies.has('postern_session'), false);
  const replay = await web.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: `postern_session=${id}` } });
  assert.equal(replay.statusCode, 401);
});

test('Account pages need a session; unknown API paths are JSON 404s; other paths get the UI', async () => {
  const anon = web.browser();
  assert.equal((await anon.request('GET', '/api/devices')).statusCode, 401);
  const missing = await anon.request('GET', '/api/no-such-thing');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'not_found');
  const page = await anon.request('GET', '/settings/security/two-factor');
  assert.ok([200, 503].includes(page.statusCode), 'index.html, or 503 when the UI was never built');
});
