import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demo, stepUpOverHttp, testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

interface Listed {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  lastUsedProtocol: string | null;
  lastUsedIp: string | null;
}

test('E2 generating returns the password once in 4 groups of 4; the list never shows it again', async () => {
  const b = web.browser();
  await b.login();
  await stepUpOverHttp(web, b);
  const created = await b.request('POST', '/api/app-passwords', { name: '手机 Outlook' });
  assert.equal(created.statusCode, 200);
  const { password, appPassword, username, servers } = created.json();
  assert.match(password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
  assert.equal(username, demo.address);
  assert.deepEqual(Object.keys(servers), ['imap', 'pop3', 'smtp']);
  assert.deepEqual(appPassword.scopes, ['imap', 'pop3', 'smtp']);
  const list = await b.request('GET', '/api/app-passwords');
  assert.ok(!list.body.includes(password.replaceAll(' ', '')) && !list.body.includes(password));
  assert.deepEqual(list.json().appPasswords.map((p: Listed) => p.name), ['手机 Outlook']);
});

test('E3 X3 many passwords with scopes; last use shows time, protocol and IP; delete refuses the password at once', async () => {
  const b = web.browser();
  await b.login();
  await stepUpOverHttp(web, b);
  const { password, appPassword } = (await b.request('POST', '/api/app-passwords', { name: 'iPad', scopes: ['imap'] })).json();
  const used = await web.ctx.authenticateClient({ protocol: 'imap', username: demo.address, password, remoteIp: '203.0.113.9' });
  assert.equal(used.ok, true);
  const listed = ((await b.request('GET', '/api/app-passwords')).json().appPasswords as Listed[]).find((p) => p.id === appPassword.id)!;
  assert.deepEqual([listed.scopes, listed.lastUsedProtocol, listed.lastUsedIp], [['imap'], 'imap', '203.0.113.9']);
  assert.equal(listed.lastUsedAt, web.clock.now().getTime());
  assert.equal((await b.request('DELETE', `/api/app-passwords/${appPassword.id}`)).statusCode, 200);
  assert.equal((await web.ctx.authenticateClient({ protocol: 'imap', username: demo.address, password, remoteIp: '203.0.113.9' })).ok, false);
  assert.equal((await b.request('DELETE', `/api/app-passwords/${appPassword.id}`)).statusCode, 404);
  const account = await web.ctx.accounts.get(demo.address);
  const events = (await web.ctx.audit.list(account.id)).filter((e) => e.type.startsWith('app_password')).map((e) => [e.type, e.detail.id]);
  assert.deepEqual(events.slice(0, 2), [['app_password_deleted', appPassword.id], ['app_password_created', appPassword.id]], 'X6 both changes are in the security activity');
});

test('bad input is a 400 with a message; no session is 401; no CSRF token is 403; others cannot delete mine', async () => {
  const b = web.browser();
  await b.login();
  for (const body of [{ name: '' }, { name: 'x'.repeat(65) }, { name: 'ok', scopes: ['ftp'] }, { name: 'ok', scopes: [] }]) {
    const r = await b.request('POST', '/api/app-passwords', body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.ok(r.json().error.message);
  }
  assert.equal((await web.browser().request('GET', '/api/app-passwords')).statusCode, 401);
  await stepUpOverHttp(web, b);
  const mine = (await b.request('POST', '/api/app-passwords', { name: 'mine' })).json().appPassword;
  assert.equal((await b.request('POST', '/api/app-passwords', { name: 'x' }, { 'x-csrf-token': 'forged' })).statusCode, 403);

  await web.ctx.accounts.create({ address: 'eve@example.test', password: 'eve main password' });
  const eve = web.browser('10.0.0.66');
  await eve.login('eve@example.test', 'eve main password');
  assert.equal((await eve.request('DELETE', `/api/app-passwords/${mine.id}`)).statusCode, 404);
  assert.deepEqual((await eve.request('GET', '/api/app-passwords')).json().appPasswords, []);
});
