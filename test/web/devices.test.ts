import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DeviceView as Device } from '../../src/web/routes/devices.ts';
import { testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

const devices = async (b: ReturnType<TestWeb['browser']>, lang?: string) =>
  (await b.request('GET', '/api/devices', undefined, lang ? { 'accept-language': lang } : {})).json().devices as Device[];

test('C9 login devices lists every session with browser and version, OS, place, IP, times and "this device"', async () => {
  const office = web.browser('127.0.0.1');
  const home = web.browser('10.1.2.3');
  await office.login();
  await home.login();
  const list = await devices(office);
  const mine = list.find((d) => d.current)!;
  const other = list.find((d) => d.ip === '10.1.2.3')!;
  assert.equal(list.filter((d) => d.current).length, 1);
  assert.equal(mine.browser, 'Chrome 141');
  assert.equal(mine.os, 'Windows 10');
  assert.equal(mine.place, '本机');
  assert.equal(other.place, '内网地址');
  assert.equal(other.current, false);
  assert.ok(mine.firstSeen <= mine.lastSeen);
  assert.equal((await devices(office, 'en')).find((d) => d.current)!.place, 'This computer');
});

test('C9 signing one device out ends its session; its next request is 401', async () => {
  const a = web.browser();
  const b = web.browser('10.9.9.9');
  await a.login();
  await b.login();
  const target = (await devices(a)).find((d) => d.ip === '10.9.9.9')!;
  const res = await a.request('DELETE', `/api/devices/${target.id}`);
  assert.equal(res.statusCode, 200);
  assert.equal((await b.request('GET', '/api/devices')).statusCode, 401);
  assert.equal((await a.request('DELETE', `/api/devices/${target.id}`)).statusCode, 404);
});

test('C9 a user cannot sign out another account\'s session, nor this one through the list', async () => {
  await web.ctx.accounts.create({ address: 'other@example.test', password: 'Other-pass-2026' });
  const other = web.browser('10.7.7.7');
  await other.login('other@example.test', 'Other-pass-2026');
  const otherId = (await devices(other)).find((d) => d.current)!.id;
  const me = web.browser();
  await me.login();
  assert.equal((await me.request('DELETE', `/api/devices/${otherId}`)).statusCode, 404);
  assert.equal((await other.request('GET', '/api/devices')).statusCode, 200);
  const myId = (await devices(me)).find((d) => d.current)!.id;
  assert.equal((await me.request('DELETE', `/api/devices/${myId}`)).statusCode, 400);
  assert.equal((await me.request('DELETE', '/api/devices/..%2F..')).statusCode, 400);
});

test('C9 "sign out all other devices" keeps only this one', async () => {
  const here = web.browser();
  const others = [web.browser('10.0.0.1'), web.browser('10.0.0.2')];
  await here.login();
  for (const o of others) await o.login();
  const res = await here.request('POST', '/api/devices/sign-out-others', {});
  assert.ok(res.json().count >= 2);
  const list = await devices(here);
  assert.deepEqual(list.map((d) => d.current), [true]);
  for (const o of others) assert.equal((await o.request('GET', '/api/devices')).statusCode, 401);
});

test('A display name with <script> comes back as plain JSON text', async () => {
  await web.ctx.accounts.create({ address: 'xss@example.test', password: 'Xss-pass-2026', displayName: '<script>alert(1)</script>' });
  const b = web.browser();
  const res = await b.login('xss@example.test', 'Xss-pass-2026');
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(res.json().session.account.displayName, '<script>alert(1)</script>');
});
