import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonSend } from '../helpers/smtp.ts';
import { demo, e2eSuite, expectAccessible, loginAs, newContext, screenshot, stepUpOnPage, stepUpWithPassword } from './harness.ts';

const e2e = e2eSuite();

test('E2 X3 generate 手机 Outlook in the UI, see it once in 4 groups, send with it from Python smtplib, see its last use in the list', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await page.getByTestId('gear').click();
  await page.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '安全设置' }).click();
  await page.getByRole('main').getByRole('link', { name: '客户端专用密码' }).click();
  await page.getByText('还没有客户端专用密码。').waitFor();

  await page.getByRole('button', { name: '生成专用密码' }).click();
  await expectAccessible(page, 'app-password-new-dialog-zh-CN');
  await page.getByLabel('名称').fill('手机 Outlook');
  await page.getByLabel('有效期').first().click();
  await page.getByRole('option', { name: '90 天' }).click();
  await page.getByTestId('app-password-networks').fill('127.0.0.0/8, 10.0.0.0/8');
  await screenshot(page, 'app-password-new-zh-CN', false);
  await page.getByRole('button', { name: '生成', exact: true }).click();
  // X9: a signed-in session alone does not mint mail access; the password (2FA off) is asked first, inline.
  await stepUpOnPage(page, stepUpWithPassword(demo.password), 'step-up-password-zh-CN');
  const shown = page.getByTestId('new-app-password');
  await shown.waitFor();
  const password = (await shown.textContent())!.trim();
  assert.match(password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
  await page.getByRole('button', { name: '复制密码' }).waitFor();
  assert.match((await page.getByTestId('setup-hints').textContent()) ?? '', /SMTP 服务器.*端口/);
  await screenshot(page, 'app-password-dialog-zh-CN');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 Apple 描述文件' }).click()]);
  const profile = readFileSync((await download.path())!, 'utf8');
  assert.ok(download.suggestedFilename().endsWith('.mobileconfig'));
  assert.ok(profile.includes(`<string>${demo.address}</string>`) && profile.includes('com.apple.mail.managed'), 'X7 the Apple profile names the account');
  assert.ok(!profile.includes(password) && !profile.includes(password.replaceAll(' ', '')), 'X7 the profile holds no password');

  await page.getByRole('button', { name: '完成' }).click();
  await shown.waitFor({ state: 'detached' });
  await page.getByTestId('app-password-row').waitFor();
  assert.ok(!(await page.content()).includes(password), 'never shown again after the dialog closes');
  assert.match((await page.getByTestId('last-used').textContent()) ?? '', /从未使用/);
  assert.match((await page.getByTestId('app-password-limits').textContent()) ?? '', /过期.*127\.0\.0\.0\/8, 10\.0\.0\.0\/8/);

  const sent = await pythonSend({
    port: e2e.server.postern.smtp.ports.submission,
    mode: 'starttls',
    user: demo.address,
    password,
    from: demo.address,
    to: demo.address,
    subject: '来自手机 Outlook 的测试',
  });
  assert.deepEqual(sent, { ok: true });

  await page.reload();
  await page.getByTestId('app-password-row').waitFor();
  assert.match((await page.getByTestId('last-used').textContent()) ?? '', /SMTP · 127\.0\.0\.1/);
  await screenshot(page, 'app-passwords-list-zh-CN');

  await page.getByText('English', { exact: true }).click();
  await page.getByRole('button', { name: 'Generate password' }).waitFor();
  assert.match((await page.getByTestId('last-used').textContent()) ?? '', /SMTP · 127\.0\.0\.1/);
  await screenshot(page, 'app-passwords-list-en');
  await page.getByText('中文', { exact: true }).click();

  await page.getByRole('button', { name: '删除' }).click();
  await page.getByRole('dialog').waitFor();
  await expectAccessible(page, 'app-password-delete-dialog-zh-CN');
  await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
  await page.getByText('还没有客户端专用密码。').waitFor();
  const refused = await pythonSend({ port: e2e.server.postern.smtp.ports.smtps, mode: 'ssl', user: demo.address, password, from: demo.address, to: demo.address, subject: 'x' });
  assert.equal(refused.code, 535);
  await context.close();
});
