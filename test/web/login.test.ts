import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demo, testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const sessionRows = () => web.ctx.store.db.selectFrom('web_sessions').select('id_hash').execute();

test('A1 login with address and main password opens a session; the reply says ok', async () => {
  const b = web.browser();
  const res = await b.login();
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.session.account.address, demo.address);
  assert.equal(body.session.account.displayName, 'test001');
  assert.equal(body.session.account.twoFactorOn, false);
  const session = await b.request('GET', '/api/session');
  assert.equal(session.json().account.address, demo.address);
});

test('A1 the welcome data shows the previous login time and place', async () => {
  const first = web.browser('203.0.113.9');
  await first.login();
  const second = web.browser();
  const body = (await second.login()).json();
  assert.equal(body.session.account.lastLogin.ip, '203.0.113.9');
  assert.equal(typeof body.session.account.lastLogin.at, 'number');
  assert.equal(typeof body.session.account.lastLogin.place, 'string');
});

test('Wrong password and unknown account get the same message: nothing tells whether the account exists', async () => {
  const b = web.browser('198.51.100.1');
  const wrong = await b.login(demo.address, 'not the password');
  const unknown = await b.login('nobody@example.test', 'not the password');
  const malformed = await b.login('not an address', 'not the password');
  for (const res of [wrong, unknown, malformed]) {
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { error: { code: 'invalid_credentials', message: '账号或密码错误。' } });
  }
  const english = await b.login(demo.address, 'not the password');
  assert.equal(english.statusCode, 401);
  const en = await b.request('POST', '/api/login', { address: demo.address, password: 'x' }, { cookie: `${[...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')}; lang=en` });
  assert.equal(en.json().error.message, 'Wrong account or password.');
});

test('20 wrong passwords are throttled with a clear message; the right password from another IP still works', async () => {
  const attacker = web.browser('192.0.2.66');
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 20; i++) {
    last = await attacker.login(demo.address, `guess ${i}`);
    statuses.push(last.statusCode);
  }
  assert.ok(statuses.slice(0, 9).every((s) => s === 401), statuses.join());
  assert.ok(statuses.slice(10).every((s) => s === 429), statuses.join());
  assert.equal(last!.json().error.code, 'too_many_attempts');
  assert.match(last!.json().error.message, /^尝试次数过多，请 \d+ 分钟后再试。$/);
  assert.ok(Number(last!.headers['retry-after']) > 0);

  const sameIpRight = await attacker.login();
  assert.equal(sameIpRight.statusCode, 429, 'the attacker IP stays blocked even with the right password');

  const user = web.browser('192.0.2.10');
  const res = await user.login();
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 'ok');
});

test('Bad input gets a clear 4xx and writes nothing: overlong fields, wrong content type, bad JSON, huge body', async () => {
  const b = web.browser('198.51.100.7');
  await b.open();
  const before = (await sessionRows()).length;
  const cases: [unknown, Record<string, string>, number, string][] = [
    [{ address: 'a'.repeat(300) + '@example.test', password: 'x' }, {}, 400, 'validation'],
    [{ address: demo.address, password: 'x'.repeat(1025) }, {}, 400, 'validation'],
    [{ address: demo.address }, {}, 400, 'validation'],
    [{ address: ['x'], password: {} }, {}, 400, 'validation'],
    ['address=x&password=y', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['{"address":', { 'content-type': 'application/json' }, 400, 'bad_request'],
    [JSON.stringify({ address: demo.address, password: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' }, 413, 'payload_too_large'],
  ];
  for (const [body, headers, status, code] of cases) {
    const res = await b.request('POST', '/api/login', body, headers);
    assert.equal(res.statusCode, status, `${code}: ${res.body}`);
    assert.equal(res.json().error.code, code);
  }
  assert.equal((await sessionRows()).length, before);
});

test('Change password: needs the current one, signs out every other session, keeps this one', async () => {
  const here = web.browser('198.51.100.20');
  const there = web.browser('198.51.100.21');
  await here.login();
  await there.login();
  const cookieBefore = here.cookies.get('postern_session');

  const wrong = await here.request('POST', '/api/password', { currentPassword: 'nope', newPassword: 'A-new-pass-2026' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.code, 'wrong_current_password');
  const weak = await here.request('POST', '/api/password', { currentPassword: demo.password, newPassword: 'short' });
  assert.equal(weak.statusCode, 400);

  const ok = await here.request('POST', '/api/password', { currentPassword: demo.password, newPassword: 'A-new-pass-2026' });
  assert.equal(ok.statusCode, 200);
  assert.notEqual(here.cookies.get('postern_session'), cookieBefore, 'the session id is rotated');
  assert.equal((await here.request('GET', '/api/devices')).statusCode, 200);
  const gone = await there.request('GET', '/api/devices');
  assert.equal(gone.statusCode, 401);
  assert.equal(gone.json().error.code, 'unauthenticated');

  assert.equal((await web.browser('198.51.100.22').login(demo.address, demo.password)).statusCode, 401);
  assert.equal((await web.browser('198.51.100.22').login(demo.address, 'A-new-pass-2026')).statusCode, 200);
  await web.ctx.accounts.changePassword(await web.ctx.accounts.get(demo.address), demo.password, { ip: null, userAgent: null });
});

test('F1 the help contacts are public on GET /api/meta', async () => {
  const res = await web.browser().request('GET', '/api/meta');
  assert.deepEqual(res.json(), { help: { phone: '023-65111500', email: 'mail@example.test' } });
});

test('With POSTERN_REDIS_URL the throttle counts in Redis, with the same rules', async () => {
  const redisWeb = await testWeb({ POSTERN_REDIS_URL: process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0' });
  try {
    // Fresh addresses per run: Redis keeps counts between runs.
    const n = () => Math.floor(Math.random() * 250) + 1;
    const ip = () => `10.${n()}.${n()}.${n()}`;
    const attacker = redisWeb.browser(ip());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attacker.login(demo.address, `guess ${i}`)).statusCode);
    assert.ok(statuses.slice(0, 9).every((s) => s === 401), statuses.join());
    assert.equal(statuses[10], 429, statuses.join());
    assert.equal((await redisWeb.browser(ip()).login()).statusCode, 200);
  } finally {
    await redisWeb.close();
  }
});

test('A1 the session says whether two-step verification is on, for the welcome page', async () => {
  const b = web.browser('198.51.100.30');
  await b.login();
  assert.equal((await b.request('GET', '/api/session')).json().account.twoFactorOn, false);
  // Turned on from another device while this session lives (with it on, login itself would ask for step 2).
  const { db } = web.ctx.store;
  const account = (await web.ctx.accounts.repo.findByAddress(demo.address))!;
  const now = Date.now();
  await db.insertInto('factors').values({ id: 'f-a1-totp', account_id: account.id, kind: 'totp', label: 'TOTP', sealed_data: '{}', counter: null, confirmed_at: now, blocked_until: null, last_used_at: null, created_at: now }).execute();
  try {
    assert.equal((await b.request('GET', '/api/session')).json().account.twoFactorOn, true);
  } finally {
    await db.deleteFrom('factors').where('id', '=', 'f-a1-totp').execute();
  }
});
