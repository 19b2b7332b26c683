import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { auditTypes } from '../../src/core/audit.ts';
import type { ActivityView } from '../../src/web/routes/activity.ts';
import { stepUpOverHttp, testWeb, type TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

interface ActivityPage {
  events: ActivityView[];
  next: string | null;
}
const activity = async (b: TestBrowser, before?: string) => {
  const res = await b.request('GET', `/api/activity${before ? `?before=${before}` : ''}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ActivityPage;
};

test('X6 security activity shows a failed sign-in (wrong password) and the sign-in after it, newest first, with browser, place and masked IP', async () => {
  await web.ctx.accounts.create({ address: 'fail@example.test', password: 'Fail-pass-2026' });
  const attacker = web.browser('10.6.6.6');
  await attacker.open();
  assert.equal((await attacker.login('fail@example.test', 'not-the-password')).statusCode, 401);
  web.clock.advance(1000);
  const me = web.browser('127.0.0.1');
  assert.equal((await me.login('fail@example.test', 'Fail-pass-2026')).statusCode, 200);
  const { events, next } = await activity(me);
  assert.deepEqual(
    events.map((e) => [e.type, e.reason, e.ip, e.place]),
    [
      ['login_succeeded', null, '127.x.x.x', '本机'],
      ['login_failed', 'password', '10.x.x.x', '内网地址'],
    ],
  );
  assert.equal(events[1].browser, 'Chrome 141');
  assert.equal(events[1].os, 'Windows 10');
  assert.ok(events[0].at > events[1].at);
  assert.equal(next, null);
});

test('X6 security activity lists only the signed-in account\'s own events', async () => {
  await web.ctx.accounts.create({ address: 'mine@example.test', password: 'Mine-pass-2026' });
  const other = web.browser('10.1.1.1');
  await other.login();
  await stepUpOverHttp(web, other);
  await other.request('POST', '/api/app-passwords', { name: '别人的 Outlook' });
  const me = web.browser();
  await me.login('mine@example.test', 'Mine-pass-2026');
  const mine = await activity(me);
  assert.deepEqual(mine.events.map((e) => e.type), ['login_succeeded']);
  assert.ok(!JSON.stringify(mine).includes('别人的'));
  const theirs = await activity(other);
  assert.ok(theirs.events.some((e) => e.type === 'app_password_created' && e.name === '别人的 Outlook'));
});

test('X6 app passwords and a password change appear with their names, and no secret is in the reply', async () => {
  await web.ctx.accounts.create({ address: 'changes@example.test', password: 'Changes-pass-2026' });
  const me = web.browser();
  await me.login('changes@example.test', 'Changes-pass-2026');
  await stepUpOverHttp(web, me, undefined, 'Changes-pass-2026');
  const created = (await me.request('POST', '/api/app-passwords', { name: '手机 Outlook' })).json();
  await me.request('DELETE', `/api/app-passwords/${created.appPassword.id}`);
  assert.equal((await me.request('POST', '/api/password', { currentPassword: 'Changes-pass-2026', newPassword: 'Changes-new-2026!' })).statusCode, 200);
  const page = await activity(me);
  assert.deepEqual(
    page.events.map((e) => [e.type, e.name]),
    [
      ['password_changed', null],
      ['app_password_deleted', '手机 Outlook'],
      ['app_password_created', '手机 Outlook'],
      ['step_up_succeeded', null],
      ['login_succeeded', null],
    ],
  );
  const body = JSON.stringify(page);
  for (const secret of [created.password, created.password.replace(/ /g, ''), 'Changes-new-2026!', 'Changes-pass-2026']) assert.ok(!body.includes(secret));
});

test('X6 security activity comes 50 events a page, with a cursor to the next, also within one millisecond', async () => {
  const account = await web.ctx.accounts.create({ address: 'pages@example.test', password: 'Pages-pass-2026' });
  const me = web.browser();
  await me.login('pages@example.test', 'Pages-pass-2026');
  for (let i = 0; i < 119; i++) {
    if (i % 3 === 0) web.clock.advance(1);
    await web.ctx.audit.record(account.id, 'device_trusted', { ip: '127.0.0.1', userAgent: null });
  }
  const pages: ActivityPage[] = [await activity(me)];
  while (pages.at(-1)!.next) pages.push(await activity(me, pages.at(-1)!.next!));
  assert.deepEqual(pages.map((p) => p.events.length), [50, 50, 20]);
  const all = pages.flatMap((p) => p.events);
  assert.equal(new Set(all.map((e) => e.id)).size, 120);
  assert.equal(all.at(-1)!.type, 'login_succeeded');
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].at >= all[i].at);
  assert.equal((await me.request('GET', '/api/activity?before=../x')).statusCode, 400);
});

test('X6 security activity needs a session: 401 without one', async () => {
  const stranger = web.browser();
  await stranger.open();
  const res = await stranger.request('GET', '/api/activity');
  assert.equal(res.statusCode, 401);
  assert.ok(res.json().error.code);
});

test('X6 every audit event type has a sentence in zh-CN and English', () => {
  for (const lang of ['zh-CN', 'en']) {
    const catalogue = JSON.parse(readFileSync(new URL(`../../src/i18n/locales/${lang}.json`, import.meta.url), 'utf8'));
    const sentences = catalogue.security?.activity?.events ?? {};
    const missing = auditTypes.filter((type) => typeof sentences[type] !== 'string' || !sentences[type].trim());
    assert.deepEqual(missing, [], lang);
  }
});
