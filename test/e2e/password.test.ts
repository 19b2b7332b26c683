import { test } from 'node:test';
import { demo, e2eSuite, loginAs, newContext, screenshot } from './harness.ts';

const e2e = e2eSuite();

test('修改密码: mismatched confirmation is caught; a change keeps this browser signed in and the new password works', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await page.goto(`${e2e.server.url}/settings/security/password`);
  const fields = page.locator('input[type="password"]');
  await fields.nth(0).fill(demo.password);
  await fields.nth(1).fill('A-new-pass-2026');
  await fields.nth(2).fill('A-new-pass-2027');
  await page.getByText('两次输入的新密码不一致').waitFor();
  await fields.nth(2).fill('A-new-pass-2026');
  await page.getByRole('button', { name: '修改密码' }).click();
  await page.getByText('密码已修改，其他设备已退出登录。').waitFor();
  await screenshot(page, 'password-zh-CN');

  // The session id (and with it the CSRF token) was rotated: the next state change still works.
  await page.getByTestId('avatar').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '登录邮箱' }).waitFor();
  await loginAs(page, e2e.server.url, { address: demo.address, password: 'A-new-pass-2026' });
  await context.close();
});
