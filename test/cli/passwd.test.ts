import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postern } from '../helpers/cli.ts';
import { bindTotpOverHttp, demo, testWeb, totpCode, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

test('X4 C7 C9 user passwd signs the web sessions out, revokes the trusted browser, is audited and noticed in the INBOX', async () => {
  const desk = web.browser('203.0.113.5');
  assert.equal((await desk.login()).json().status, 'ok');
  const { secret } = await bindTotpOverHttp(web, desk);
  const laptop = web.browser('203.0.113.6');
  const step2 = (await laptop.login()).json();
  assert.equal(step2.status, 'second_factor');
  const trusted = await laptop.request('POST', '/api/login/second-factor', { factorId: step2.methods[0].id, code: totpCode(web, secret), trust: true });
  assert.equal(trusted.json().status, 'ok');
  const account = await web.ctx.accounts.get(demo.address);
  assert.equal((await web.ctx.sessions.list(account.id)).length, 2);
  assert.equal((await web.ctx.trustedDevices.list(account.id)).length, 1);

  const env = { POSTERN_DATA_DIR: web.ctx.config.dataDir, POSTERN_LANG: 'en' };
  const r = postern(['user', 'passwd', demo.address, '--password-stdin'], env, 'An operator-set pass 2026');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /password of test001@example\.test changed; signed out 2 web session\(s\), revoked 1 trusted browser\(s\)/);

  for (const b of [desk, laptop]) assert.equal((await b.request('GET', '/api/devices')).statusCode, 401);
  assert.deepEqual(await web.ctx.sessions.list(account.id), []);
  assert.deepEqual(await web.ctx.trustedDevices.list(account.id), []);
  await laptop.open();
  assert.equal((await laptop.login(demo.address, 'An operator-set pass 2026')).json().status, 'second_factor', 'the browser is no longer trusted');

  const events = await web.ctx.audit.list(account.id);
  const changed = events.find((e) => e.type === 'password_changed');
  assert.ok(changed, 'password_changed is recorded');
  assert.deepEqual([changed.ip, changed.userAgent], [null, null], 'from the command line: no browser, no IP');
  assert.ok(events.some((e) => e.type === 'device_trust_removed_all' && e.detail.reason === 'password_changed'));

  const inbox = await web.ctx.mail.mailbox(account.id, 'INBOX');
  const subjects = (await web.ctx.mail.messages(inbox.id)).map((m) => m.subject);
  assert.ok(subjects.includes('【安全提醒】您的邮箱密码已修改'), `the notice reached the INBOX: ${subjects.join(' | ')}`);
});
