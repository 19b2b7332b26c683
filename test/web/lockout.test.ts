import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demo, testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb({ POSTERN_LOCKOUT_DELAY_MS: '20' });
});
after(() => web.close());

test('X10 110 guesses from 11 addresses are not all evaluated: the account is capped across unfamiliar addresses', async () => {
  const address = 'capped@example.test';
  await web.ctx.accounts.create({ address, password: 'a long test passphrase' });
  const statuses: number[] = [];
  for (let ip = 1; ip <= 11; ip++) {
    const attacker = web.browser(`192.0.2.${ip}`);
    for (let i = 0; i < 10; i++) statuses.push((await attacker.login(address, `guess ${ip}-${i}`)).statusCode);
  }
  assert.equal(statuses.filter((s) => s === 401).length, 30, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 80);
  assert.equal((await web.browser('192.0.2.200').login(address, 'a long test passphrase')).statusCode, 429, 'a new browser waits out the lockout');
});

test('X10 after 50 wrong passwords from 20 addresses the browser alice signed in with (device cookie) still signs in; a fresh address is throttled', async () => {
  const alice = web.browser('198.51.100.10');
  assert.equal((await alice.login()).statusCode, 200);
  assert.ok(alice.cookies.get('postern_device'), 'a device cookie after a full sign-in');
  await alice.request('POST', '/api/logout');
  for (let i = 0; i < 50; i++) await web.browser(`203.0.113.${(i % 20) + 1}`).login(demo.address, `guess ${i}`);
  const back = await alice.login();
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().status, 'ok');
  const fresh = await web.browser('203.0.113.99').login(demo.address, 'yet another guess');
  assert.equal(fresh.statusCode, 429);
  assert.equal(fresh.json().error.code, 'too_many_attempts');
});

test('X10 a stolen device cookie gets only its own few guesses, and it does not lock the account for others', async () => {
  const address = 'cookie@example.test';
  await web.ctx.accounts.create({ address, password: 'a long test passphrase' });
  const owner = web.browser('198.51.100.20');
  assert.equal((await owner.login(address, 'a long test passphrase')).statusCode, 200);
  const thief = web.browser('198.51.100.66');
  thief.cookies.set('postern_device', owner.cookies.get('postern_device')!);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await thief.login(address, `guess ${i}`)).statusCode);
  assert.deepEqual(statuses.slice(9), [401, 429, 429]);
  assert.equal((await web.browser('198.51.100.21').login(address, 'a long test passphrase')).statusCode, 200);
});

test('X10 unfamiliar browsers wait longer and longer once an account is under attack; a familiar one does not wait', async () => {
  const address = 'slow@example.test';
  await web.ctx.accounts.create({ address, password: 'a long test passphrase' });
  const owner = web.browser('198.51.100.30');
  assert.equal((await owner.login(address, 'a long test passphrase')).statusCode, 200);
  const delays = async () => (await web.ctx.lockout.gate({ channel: 'web', ip: '100.64.1.1', address })).delayMs;
  const waits: number[] = [];
  for (let i = 0; i < 9; i++) {
    waits.push(await delays());
    await web.browser(`100.64.0.${i + 1}`).login(address, `guess ${i}`);
  }
  // Once the account has 5 failures: 20, 40, 80, 160 ms… (POSTERN_LOCKOUT_DELAY_MS=20, doubling, at most 16×).
  assert.deepEqual(waits, [0, 0, 0, 0, 0, 20, 40, 80, 160]);
  const started = Date.now();
  await web.browser('100.64.0.99').login(address, 'guess 9');
  assert.ok(Date.now() - started >= 320, 'the wait happens before the password is checked');
  const device = owner.cookies.get('postern_device')!.split('.')[0];
  assert.equal((await web.ctx.lockout.gate({ channel: 'web', ip: '100.64.1.1', address, device })).delayMs, 0);
});
