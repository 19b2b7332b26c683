import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demo, e2eSuite, loginAs, newContext, screenshot, stepUpOnPage, stepUpWithPassword } from './harness.ts';

const e2e = e2eSuite();

test('X6 安全动态 shows a failed sign-in in red, the sign-in, a new client password and the password change, newest first, in both languages; 加载更多 brings the next page', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await page.goto(`${e2e.server.url}/login`);
  await page.locator('input[autocomplete^="username"]').fill(demo.address);
  await page.locator('input[autocomplete="current-password"]').fill('not-my-password');
  await page.locator('form button[type="submit"]').click();
  await page.getByText('账号或密码错误。').first().waitFor();
  await loginAs(page, e2e.server.url);

  await page.goto(`${e2e.server.url}/settings/security/app-passwords`);
  await page.getByRole('button', { name: '生成专用密码' }).click();
  await page.getByLabel('名称').fill('手机 Outlook');
  await page.getByRole('button', { name: '生成', exact: true }).click();
  await stepUpOnPage(page, stepUpWithPassword(demo.password));
  await page.getByRole('button', { name: '完成' }).click();
  await page.getByTestId('app-password-row').waitFor();

  await page.getByRole('tab', { name: '修改密码' }).click();
  const fields = page.locator('input[type="password"]');
  await fields.nth(0).fill(demo.password);
  await fields.nth(1).fill('A-new-pass-2026');
  await fields.nth(2).fill('A-new-pass-2026');
  await page.getByRole('button', { name: '修改密码' }).click();
  const notice = page.getByText('密码已修改，其他设备已退出登录。');
  await notice.waitFor();
  await page.locator('.mantine-Notification-closeButton').click();
  await notice.waitFor({ state: 'detached' });

  await page.getByRole('tab', { name: '安全动态' }).click();
  await page.getByTestId('activity').waitFor();
  const sentences = await page.getByTestId('activity-sentence').allTextContents();
  assert.deepEqual(sentences, ['修改了密码', '生成了客户端专用密码“手机 Outlook”', '完成了安全验证', '登录成功', '登录失败（密码错误）']);
  const failed = page.locator('[data-testid="activity-event"][data-type="login_failed"]');
  assert.match((await failed.textContent()) ?? '', /登录失败（密码错误）.*Chrom.*本机.*127\.x\.x\.x/);
  const colour = (type: string) =>
    page.locator(`[data-testid="activity-event"][data-type="${type}"] [data-testid="activity-sentence"]`).evaluate((el) => getComputedStyle(el).color);
  assert.notEqual(await colour('login_failed'), await colour('login_succeeded'), 'the failed sign-in stands out');
  assert.equal(await page.getByTestId('activity-more').count(), 0);
  await screenshot(page, 'activity-zh-CN');

  await page.getByText('English', { exact: true }).click();
  await page.getByText('Sign-in failed (wrong password)').waitFor();
  await page.getByText('Created the client-specific password "手机 Outlook"').waitFor();
  await screenshot(page, 'activity-en');

  const { ctx } = e2e.server.postern;
  const account = await ctx.accounts.get(demo.address);
  for (let i = 0; i < 50; i++) await ctx.audit.record(account.id, 'device_trusted', { ip: '127.0.0.1', userAgent: null });
  await page.reload();
  const events = page.getByTestId('activity-event');
  await events.nth(49).waitFor();
  assert.equal(await events.count(), 50);
  await page.getByTestId('activity-more').click();
  await page.getByText('Sign-in failed (wrong password)').waitFor();
  assert.equal(await events.count(), 55);
  await page.getByTestId('activity-more').waitFor({ state: 'detached' });
  await context.close();
});
