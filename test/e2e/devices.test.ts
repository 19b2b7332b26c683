import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite, loginAs, newContext, screenshot } from './harness.ts';

const e2e = e2eSuite();

test('C9 two browsers sign in; one sees both in 登录设备 and signs the other out; the other lands on the login page', async () => {
  const contextA = await newContext(e2e.browser);
  const contextB = await newContext(e2e.browser);
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await loginAs(a, e2e.server.url);
  await loginAs(b, e2e.server.url);
  await b.goto(`${e2e.server.url}/settings/security/two-factor`);
  await b.getByRole('tab', { name: '二次验证设置', selected: true }).waitFor();

  await a.getByTestId('gear').click();
  await a.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '安全设置' }).click();
  await a.getByRole('main').getByRole('link', { name: '登录设备' }).click();
  const rows = a.getByTestId('device-row');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  await a.getByText('当前设备').waitFor();
  assert.match((await rows.first().textContent()) ?? '', /Chrome( Headless)? \d+/);
  assert.match((await rows.first().textContent()) ?? '', /本机/);
  await screenshot(a, 'devices-zh-CN');

  const other = rows.filter({ hasNot: a.getByText('当前设备') });
  await other.getByRole('button', { name: '退出登录' }).click();
  await a.getByText('该设备已退出登录。').waitFor();
  await a.waitForFunction(() => document.querySelectorAll('[data-testid="device-row"]').length === 1);

  // B's next request (opening 登录设备) meets a 401 and the app goes to the login page.
  await b.getByRole('tab', { name: '登录设备' }).click();
  await b.waitForURL((u) => u.pathname === '/login');
  await b.getByText('登录已过期，请重新登录。').waitFor();
  await b.getByRole('heading', { name: '登录邮箱' }).waitFor();

  // A page load with the dead cookie lands there too, and after signing in goes back where it was.
  await b.goto(`${e2e.server.url}/settings/security/devices`);
  await b.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/settings/security/devices');
  await contextA.close();
  await contextB.close();
});
