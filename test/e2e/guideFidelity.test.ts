import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { bindTotpOnPage, e2eSuite, expectAccessible, loginAs, logout, newContext, openTwoFactorPage, outboxCode, passwordStep, screenshot } from './harness.ts';

// Issue 19 items 4, 5 and 7: the guide's words, step 2's account, and what screen readers and
// keyboards meet. The clock is fake so that each TOTP code is fresh without waiting.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });

let n = 0;
async function newAccount() {
  const account = { address: `reader${++n}@example.test`, password: 'Reader-pass-2026!', displayName: `reader${n}` };
  await e2e.server.postern.ctx.accounts.create(account);
  return account;
}

const totpNow = (key: string) => new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });

async function bindBackupEmail(page: Page, address: string): Promise<void> {
  await page.getByTestId('method-backupEmail').getByTestId('method-bind').click();
  const dialog = page.getByTestId('backupEmail-dialog');
  await dialog.getByTestId('backupEmail-destination').fill(address);
  const sentAt = clock.now().getTime();
  await dialog.getByTestId('send-code').click();
  await dialog.getByTestId('backupEmail-code').fill(await outboxCode(e2e.server, address, sentAt));
  await dialog.getByTestId('backupEmail-submit').click();
  await dialog.waitFor({ state: 'detached' });
}

test('A4 B6 X4 the guide\'s words: 【修改】, 第三方 OTP in the notice mail, and 二次验证已开启 only when it was off', async () => {
  const account = await newAccount();
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, account);
  await openTwoFactorPage(page, e2e.server.url);
  await bindBackupEmail(page, 'reader.backup@qq.com');
  await page.getByText('已成功绑定“备用邮箱”，二次验证已开启。').waitFor();
  assert.equal(await page.getByTestId('method-backupEmail').getByTestId('method-change').textContent(), '修改');

  const boundAt = clock.now().getTime();
  // X9: a second method needs a step-up: the backup address gets a code.
  await bindTotpOnPage(page, totpNow, async (dialog) => {
    const sentAt = clock.now().getTime();
    await dialog.getByTestId('send-code').click();
    await dialog.getByTestId('verify-code').fill(await outboxCode(e2e.server, 'reader.backup@qq.com', sentAt));
    await dialog.getByTestId('verify-submit').click();
  });
  await page.getByText('已成功绑定“第三方 OTP”。', { exact: true }).waitFor();
  assert.equal(await page.getByText('已成功绑定“第三方 OTP”，二次验证已开启。').count(), 0, '2FA was on already');
  await screenshot(page, 'two-factor-otp-added-zh-CN', false);

  await e2e.server.postern.ctx.notices.settled();
  const notice = (await e2e.server.postern.ctx.outbox.list({ to: 'reader.backup@qq.com', limit: 10 })).find((m) => m.subject === '【安全提醒】您的邮箱绑定了新的二次验证方式' && m.createdAt.getTime() >= boundAt);
  assert.ok(notice, 'a notice to the backup address');
  assert.match(notice.text, /刚刚绑定了二次验证方式：第三方 OTP。/);
  await context.close();
});

test('C1 step 2 says which account is signing in, offers 切换账号, and the 您已退出登录 notice stays behind', async () => {
  const account = await newAccount();
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, account);
  await openTwoFactorPage(page, e2e.server.url);
  await bindTotpOnPage(page, totpNow);

  await logout(page);
  await page.getByText('您已退出登录。').waitFor();
  await passwordStep(page, e2e.server.url, account);
  await page.getByTestId('signing-in-as').getByText(`正在登录：${account.address}`).waitFor();
  assert.equal(await page.getByText('您已退出登录。').count(), 0, 'the sign-out notice does not follow onto step 2');
  await screenshot(page, 'login-step2-account-zh-CN');

  await page.getByRole('link', { name: '切换账号' }).click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByRole('heading', { name: '登录邮箱' }).waitFor();
  await context.close();
});

test('A6 keyboards and screen readers: named × and password eye, 取消 in every dialog, settings links reached with Tab', async () => {
  const account = await newAccount();
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await page.goto(`${e2e.server.url}/login`);
  const eye = page.getByRole('button', { name: '显示密码' });
  await page.locator('input[autocomplete="current-password"]').fill('secret words');
  await page.locator('input[autocomplete="current-password"]').press('Tab');
  assert.equal(await eye.evaluate((el) => el === document.activeElement), true, 'the eye is the next Tab stop');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('input[autocomplete="current-password"]').getAttribute('type'), 'text');
  await expectAccessible(page, 'login-password-shown-zh-CN');

  await loginAs(page, e2e.server.url, account);
  // Path 2 with the keyboard only: gear → 安全设置 → 二次验证设置.
  await page.goto(`${e2e.server.url}/settings/mail`);
  await page.getByRole('heading', { name: '邮箱设置' }).waitFor();
  await tabTo(page, page.getByTestId('settings-card').filter({ hasText: '安全设置' }));
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/settings/security');
  await tabTo(page, page.getByTestId('settings-card').filter({ hasText: '二次验证设置' }));
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/settings/security/two-factor');
  const tab = page.getByRole('tab', { name: '客户端专用密码' });
  assert.equal(await tab.getAttribute('href'), '/settings/security/app-passwords', 'the tabs are links');

  await page.getByTestId('two-factor-status').waitFor();
  for (const kind of ['backupEmail', 'wechat', 'sms', 'totp']) {
    await page.getByTestId(`method-${kind}`).getByTestId('method-bind').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '关闭' }).waitFor();
    await dialog.getByRole('button', { name: '取消' }).waitFor();
    await expectAccessible(page, `${kind}-bind-dialog`);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  await bindTotpOnPage(page, totpNow);
  await page.getByTestId('method-totp').getByTestId('method-change').click();
  const verify = page.getByTestId('verify-dialog');
  await verify.getByRole('button', { name: '关闭' }).waitFor();
  await verify.getByRole('button', { name: '取消' }).click();
  await verify.waitFor({ state: 'detached' });
  await page.getByTestId('method-totp').getByTestId('method-unbind').click();
  const confirm = page.getByTestId('unbind-confirm');
  await confirm.getByRole('button', { name: '关闭' }).waitFor();
  await confirm.getByRole('button', { name: '取消' }).click();
  await confirm.waitFor({ state: 'detached' });
  await context.close();
});

/** Presses Tab until `target` has the focus (at most 40 times). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  assert.fail('not reached with Tab');
}
