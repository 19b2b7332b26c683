import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { demo, e2eSuite, expectAccessible, help, loginAs, newContext, screenshot } from './harness.ts';

const e2e = e2eSuite();

async function expectTwoFactorPage(page: Page, title: string, methods: string[]) {
  await page.waitForURL((u) => u.pathname === '/settings/security/two-factor');
  await page.getByRole('tab', { name: title, selected: true }).waitFor();
  for (const m of methods) await page.getByText(m, { exact: true }).waitFor();
}

test('A1 A2 A3 A6 F1 log in, reach 二次验证设置 by path 1 and path 2, switch to English and back', async () => {
  // A previous sign-in, so that the welcome page has a last login to show.
  const earlier = await newContext(e2e.browser);
  await loginAs(await earlier.newPage(), e2e.server.url);
  await earlier.close();

  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await page.goto(e2e.server.url);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByText(`电话：${help.phone}`).waitFor();
  assert.equal(await page.getByRole('heading', { name: '登录邮箱' }).isVisible(), true);
  await screenshot(page, 'login-zh-CN');

  await page.locator('input[autocomplete^="username"]').fill(demo.address);
  await page.locator('input[autocomplete="current-password"]').fill('wrong password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByText('账号或密码错误。').waitFor();
  await expectAccessible(page, 'login-failed-zh-CN');

  await loginAs(page, e2e.server.url);
  await page.getByRole('heading', { name: 'test001，您好！' }).waitFor();
  await page.getByText(/本机（IP：127\.0\.0\.1）/).waitFor();
  await screenshot(page, 'welcome-zh-CN');

  // Path 1: avatar → 个人设置 → 安全设置 → 二次验证设置
  await page.getByTestId('avatar').click();
  await page.getByRole('menuitem', { name: '个人设置' }).click();
  await page.getByRole('heading', { name: '个人设置' }).waitFor();
  await expectAccessible(page, 'personal-zh-CN');
  await page.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '安全设置' }).click();
  await page.getByRole('heading', { name: '安全设置' }).waitFor();
  await expectAccessible(page, 'security-settings-zh-CN');
  await page.getByRole('main').getByRole('link', { name: '二次验证设置' }).click();
  await expectTwoFactorPage(page, '二次验证设置', ['备用邮箱', '微信', '短信', '第三方 OTP']);
  await page.getByText('邮件客户端登录（除浏览器网页登录外的所有方式）必须使用客户端专用密码', { exact: false }).waitFor();
  await page.getByText(`邮箱：${help.email}`).waitFor();
  await screenshot(page, 'security-zh-CN');

  // Path 2: welcome → gear (邮箱设置) → 安全设置 → 二次验证设置
  await page.getByRole('link', { name: 'Postern 邮件系统' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('gear').click();
  await page.getByRole('heading', { name: '邮箱设置' }).waitFor();
  await expectAccessible(page, 'mail-settings-zh-CN');
  await page.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '安全设置' }).click();
  await page.getByRole('main').getByRole('link', { name: '二次验证设置' }).click();
  await expectTwoFactorPage(page, '二次验证设置', ['备用邮箱', '微信', '短信', '第三方 OTP']);

  // English, remembered across a reload and used by the server too.
  await page.getByText('English', { exact: true }).click();
  await expectTwoFactorPage(page, 'Two-step verification', ['Backup email', 'WeChat', 'SMS', 'Third-party OTP']);
  await page.reload();
  await expectTwoFactorPage(page, 'Two-step verification', ['Backup email', 'WeChat', 'SMS', 'Third-party OTP']);
  assert.ok((await context.cookies()).some((c) => c.name === 'lang' && c.value === 'en'));
  await screenshot(page, 'security-en');
  await page.getByRole('link', { name: 'Postern Mail' }).click();
  await page.getByRole('heading', { name: 'Hello, test001!' }).waitFor();
  await page.getByText(/This computer \(IP: 127\.0\.0\.1\)/).waitFor();
  await screenshot(page, 'welcome-en');

  await page.getByTestId('avatar').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to your mailbox' }).waitFor();
  await page.getByText(`Phone: ${help.phone}`).waitFor();
  await page.locator('input[autocomplete^="username"]').fill('nobody@example.test');
  await page.locator('input[autocomplete="current-password"]').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText('Wrong account or password.').waitFor();
  await screenshot(page, 'login-en');

  await page.getByText('中文', { exact: true }).click();
  await page.getByRole('heading', { name: '登录邮箱' }).waitFor();
  // Chromium hands a document.cookie write to its cookie store asynchronously.
  await page.waitForFunction(() => document.cookie.includes('lang=zh-CN'));
  for (let i = 0; i < 50 && !(await context.cookies()).some((c) => c.name === 'lang' && c.value === 'zh-CN'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await context.cookies()).some((c) => c.name === 'lang' && c.value === 'zh-CN'));
  await context.close();
});

test('A display name with <script> shows as text and runs nothing', async () => {
  const evil = { address: 'xss@example.test', password: 'Xss-pass-2026', displayName: '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">' };
  await e2e.server.postern.ctx.accounts.create(evil);
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await loginAs(page, e2e.server.url, evil);
  const heading = page.getByRole('heading', { level: 2 });
  await heading.waitFor();
  assert.equal(await heading.textContent(), `${evil.displayName}，您好！`);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(dialogs, 0);
  await context.close();
});

test('An unknown page shows "页面不存在" with the help contacts', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await page.goto(`${e2e.server.url}/no/such/page`);
  await page.getByRole('heading', { name: '页面不存在' }).waitFor();
  await expectAccessible(page, 'not-found-zh-CN');
  await page.getByText(`电话：${help.phone}`).waitFor();
  await context.close();
});
