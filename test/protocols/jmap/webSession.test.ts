import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { bindTotpOverHttp, demo, testWeb, type TestWeb } from '../../helpers/web.ts';
import { using } from '../../helpers/jmap.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

test('M5 the webmail reaches JMAP with its session cookie and CSRF header only', async () => {
  const b = web.browser();
  await b.login();
  const session = await b.request('GET', '/jmap/session');
  assert.equal(session.statusCode, 200);
  assert.equal(session.json().username, demo.address);
  const body = { using, methodCalls: [['Mailbox/get', { accountId: session.json().primaryAccounts['urn:ietf:params:jmap:mail'], properties: ['role'] }, '0']] };
  const ok = await b.request('POST', '/jmap/api', body);
  assert.equal(ok.statusCode, 200);
  assert.ok(ok.json().methodResponses[0][1].list.some((m: { role: string }) => m.role === 'inbox'));
  const forged = await b.request('POST', '/jmap/api', body, { 'x-csrf-token': 'forged' });
  assert.equal(forged.statusCode, 403);
  assert.equal(forged.headers['www-authenticate'], undefined, 'no Basic prompt in the browser');
});

test('C1 between the two login steps JMAP grants nothing', async () => {
  const owner = web.browser();
  await owner.login();
  await bindTotpOverHttp(web, owner);
  const b = web.browser('10.0.0.9');
  const step1 = await b.login();
  assert.equal(step1.json().status, 'second_factor');
  assert.equal((await b.request('GET', '/jmap/session')).statusCode, 401);
  assert.equal((await b.request('POST', '/jmap/api', { using, methodCalls: [['Core/echo', {}, '0']] })).statusCode, 401);
});

test('M5 the session cookie opens the JMAP WebSocket from our own pages only, not from another site', async () => {
  await web.ctx.accounts.create({ address: 'ws@example.test', password: 'Ws-main-pass-2026' });
  const b = web.browser();
  assert.equal((await b.login('ws@example.test', 'Ws-main-pass-2026')).json().status, 'ok');
  const url = await web.app.listen({ port: 0, host: '127.0.0.1' });
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const handshake = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'jmap' };
  const status = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${url}/jmap/ws`, { agent: false, headers: { ...handshake, ...headers } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
  assert.equal(await status({ cookie, origin: 'https://evil.example' }), 403);
  assert.equal(await status({ cookie }), 403, 'a browser always sends Origin on a WebSocket');
  assert.equal(await status({ cookie, origin: url }), 101);
});
