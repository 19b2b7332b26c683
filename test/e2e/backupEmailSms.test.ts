import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import type { Locator } from 'playwright-core';
import { bindTotpOnPage, demo, e2eSuite, expectAccessible, expectText, loginAs, logout, newContext, openTwoFactorPage, outboxCode, passwordStep, screenshot, stepUpOnPage, stepUpWithCode } from './harness.ts';

// A fake clock: each sent code and each TOTP step without waiting a real minute.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });
/** The TOTP key bound in the first test; the second verifies changes with it. */
let secret: string;

/** Past the one-minute resend interval and into a fresh TOTP step. */
const nextMinute = () => clock.advance(61_000);

const codeFor = (to: string, notBefore = 0) => outboxCode(e2e.server, to, notBefore);

function totpNow(key: string): string {
  return new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
}

/** Fills the bind dialog of `kind` (already open): destination, 发送验证码, the code from the outbox, 确定. */
async function bindInDialog(page: Page, kind: 'backupEmail' | 'sms', destination: string, outboxTo: string, shot?: string): Promise<void> {
  const dialog = page.getByTestId(`${kind}-dialog`);
  await dialog.getByTestId(`${kind}-destination`).fill(destination);
  const sentAt = clock.now().getTime();
  await dialog.getByTestId('send-code').click();
  await dialog.getByTestId('sent-to').waitFor();
  await dialog.getByText('60 秒后可重新发送').waitFor();
  await dialog.getByTestId(`${kind}-code`).fill(await codeFor(outboxTo, sentAt));
  if (shot) await screenshot(page, shot, false);
  await dialog.getByTestId(`${kind}-submit`).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Answers the step-up dialog with a code mailed to the backup address. */
const stepUpWithMailedCode = (to: string) => async (dialog: Locator) => {
  const sentAt = clock.now().getTime();
  await dialog.getByTestId('send-code').click();
  await dialog.getByTestId('verify-code').fill(await codeFor(to, sentAt));
  await dialog.getByTestId('verify-submit').click();
};

async function chooseMethod(page: Page, title: string): Promise<void> {
  await page.getByTestId('method-switch').getByText(title, { exact: true }).click();
}

async function submitCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('verify-code').fill(code);
  await page.getByTestId('verify-submit').click();
}

test('B1 B2 C3 C2 C8 D2 D1 backup email in the browser: bind, log in with it, switch to TOTP, change verified by TOTP, unbind', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await openTwoFactorPage(page, e2e.server.url);

  // B1: bind with the code mailed to the backup address.
  await page.getByTestId('method-backupEmail').getByTestId('method-bind').click();
  const ownMailbox = page.getByTestId('backupEmail-dialog');
  await ownMailbox.getByTestId('backupEmail-destination').fill(demo.address);
  await ownMailbox.getByTestId('send-code').click();
  await ownMailbox.getByTestId('backupEmail-error').getByText('备用邮箱不能是本邮箱').waitFor();
  await page.keyboard.press('Escape');
  await ownMailbox.waitFor({ state: 'detached' });
  await page.getByTestId('method-backupEmail').getByTestId('method-bind').click();
  await bindInDialog(page, 'backupEmail', 'Backup.Box@qq.com', 'backup.box@qq.com', 'backup-email-bind-dialog-zh-CN');
  await page.getByText('已成功绑定“备用邮箱”，二次验证已开启。').waitFor();
  await expectText(page.getByTestId('method-backupEmail'), 'method-label', 'back****@qq.com');
  const mail = (await e2e.server.postern.ctx.outbox.list({ to: 'backup.box@qq.com' })).find((m) => m.subject === '【验证码】用于邮件系统的二次验证')!;
  assert.match(mail.text, /^test001, 您好!\n\n您的邮箱 test\*\*\*\*@example\.test 正在验证。验证码:/);
  assert.match(mail.text, /操作系统: Linux\n客户端: .*Chrome.* \d+\n大致地点: 本机 \(IP: 127\.x\.x\.x\)/);
  nextMinute();
  // X9: a second method while 2FA is on needs a step-up, here with the backup email just bound.
  secret = await bindTotpOnPage(page, totpNow, stepUpWithMailedCode('backup.box@qq.com'));
  await screenshot(page, 'two-factor-backup-email-zh-CN', false);

  // C3 C8: step 2 with the backup email; a second send within the minute (from another tab opened
  // before the first send) is refused with the seconds left; a reload shows them before any click.
  nextMinute();
  await logout(page);
  await passwordStep(page, e2e.server.url);
  const otherTab = await context.newPage();
  await otherTab.goto(`${e2e.server.url}/login/verify`);
  await chooseMethod(otherTab, '备用邮箱');
  await chooseMethod(page, '备用邮箱');
  const sentAt = clock.now().getTime();
  await page.getByTestId('send-code').click();
  await page.getByText('60 秒后可重新发送').waitFor();
  clock.advance(20_000);
  await otherTab.getByTestId('send-code').click();
  await otherTab.getByTestId('verify-error').getByText('验证码发送过于频繁，请 40 秒后再试。').waitFor();
  await otherTab.getByText('40 秒后可重新发送').waitFor();
  assert.equal(await otherTab.getByTestId('send-code').isDisabled(), true);
  await screenshot(otherTab, 'login-step2-backup-email-resend-zh-CN');
  await otherTab.close();
  await page.reload();
  await chooseMethod(page, '备用邮箱');
  await page.getByText('40 秒后可重新发送').waitFor();
  assert.equal(await page.getByTestId('send-code').isDisabled(), true);
  await submitCode(page, await codeFor('backup.box@qq.com', sentAt));
  await page.waitForURL((u) => u.pathname === '/');

  // C2: start with the backup email, switch to TOTP on step 2.
  nextMinute();
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await chooseMethod(page, '备用邮箱');
  await page.getByTestId('send-code').click();
  await page.getByTestId('sent-to').waitFor();
  await chooseMethod(page, '第三方 OTP');
  await submitCode(page, totpNow(secret));
  await page.waitForURL((u) => u.pathname === '/');

  // D2: change the backup address, verified by TOTP; the new address gets its own code.
  nextMinute();
  await openTwoFactorPage(page, e2e.server.url);
  await page.getByTestId('method-backupEmail').getByTestId('method-change').click();
  const verify = page.getByTestId('verify-dialog');
  await verify.getByTestId('method-switch').waitFor();
  await expectAccessible(page, 'change-verify-dialog-zh-CN');
  await chooseMethod(page, '第三方 OTP');
  await verify.getByTestId('verify-code').fill(totpNow(secret));
  await verify.getByTestId('verify-submit').click();
  await page.getByTestId('backupEmail-dialog').getByText('换绑备用邮箱').waitFor();
  await bindInDialog(page, 'backupEmail', 'new.backup@163.com', 'new.backup@163.com');
  await page.getByText('已成功换绑“备用邮箱”。').waitFor();
  await expectText(page.getByTestId('method-backupEmail'), 'method-label', 'new.****@163.com');

  // D1: unbind: after 确定 the code goes to the current backup address by itself.
  nextMinute();
  const unbindAt = clock.now().getTime();
  await page.getByTestId('method-backupEmail').getByTestId('method-unbind').click();
  await page.getByTestId('unbind-confirm-ok').waitFor();
  await expectAccessible(page, 'unbind-confirm-dialog-zh-CN');
  await page.getByTestId('unbind-confirm-ok').click();
  // X9: this session signed in a while ago without sudo mode: a step-up first, with the app.
  await stepUpOnPage(page, async (dialog) => {
    await dialog.getByTestId('method-switch').getByText('第三方 OTP', { exact: true }).click();
    await stepUpWithCode(totpNow(secret))(dialog);
  });
  await verify.getByTestId('sent-to').waitFor();
  await expectAccessible(page, 'unbind-verify-dialog-zh-CN');
  await verify.getByTestId('verify-code').fill(await codeFor('new.backup@163.com', unbindAt));
  await verify.getByTestId('verify-submit').click();
  await page.getByText('已解绑“备用邮箱”。').waitFor();
  await expectText(page.getByTestId('method-backupEmail'), 'method-state', '未绑定');
  await expectText(page, 'two-factor-status', '已开启');

  await context.close();
});

test('B4 C5 D6 D5 SMS through the emulator: bind, log in with the code sent by itself, change verified by TOTP, unbind', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  nextMinute();
  await passwordStep(page, e2e.server.url);
  await submitCode(page, totpNow(secret));
  await page.waitForURL((u) => u.pathname === '/');
  await openTwoFactorPage(page, e2e.server.url);

  // B4: bind a mainland number typed with spaces; an impossible number is refused first.
  await page.getByTestId('method-sms').getByTestId('method-bind').click();
  const dialog = page.getByTestId('sms-dialog');
  await dialog.getByTestId('sms-destination').fill('12345');
  await dialog.getByTestId('send-code').click();
  nextMinute();
  await stepUpOnPage(page, stepUpWithCode(totpNow(secret)));
  await dialog.getByTestId('sms-error').getByText('手机号码格式不正确').waitFor();
  await bindInDialog(page, 'sms', '138 0013 8000', '+8613800138000', 'sms-bind-dialog-zh-CN');
  await page.getByText('已成功绑定“短信”。', { exact: true }).waitFor();
  await expectText(page.getByTestId('method-sms'), 'method-label', '+86 138****8000');
  const [sms] = await e2e.server.postern.ctx.outbox.list({ to: '+8613800138000', limit: 1 });
  assert.match(sms.text, /^您的邮件系统验证码为 \d{6}，5 分钟内有效。请勿向任何人提供验证码。$/);

  // C5: choosing SMS on step 2 sends the code by itself.
  nextMinute();
  await logout(page);
  await passwordStep(page, e2e.server.url);
  const sentAt = clock.now().getTime();
  await chooseMethod(page, '短信');
  await page.getByTestId('sent-to').getByText('+86 138****8000').waitFor();
  await screenshot(page, 'login-step2-sms-zh-CN');
  await submitCode(page, await codeFor('+8613800138000', sentAt));
  await page.waitForURL((u) => u.pathname === '/');

  // D6: change the number, verified by TOTP.
  nextMinute();
  await openTwoFactorPage(page, e2e.server.url);
  await page.getByTestId('method-sms').getByTestId('method-change').click();
  const verify = page.getByTestId('verify-dialog');
  await chooseMethod(page, '第三方 OTP');
  await verify.getByTestId('verify-code').fill(totpNow(secret));
  await verify.getByTestId('verify-submit').click();
  await bindInDialog(page, 'sms', '+852 9123 4567', '+85291234567');
  await page.getByText('已成功换绑“短信”。').waitFor();
  await expectText(page.getByTestId('method-sms'), 'method-label', '+852 91****4567');

  // D5: unbind with the code sent to the current number.
  nextMinute();
  const unbindAt = clock.now().getTime();
  await page.getByTestId('method-sms').getByTestId('method-unbind').click();
  await page.getByTestId('unbind-confirm-ok').click();
  await stepUpOnPage(page, async (dialog) => {
    await dialog.getByTestId('method-switch').getByText('第三方 OTP', { exact: true }).click();
    await stepUpWithCode(totpNow(secret))(dialog);
  });
  await verify.getByTestId('sent-to').waitFor();
  await verify.getByTestId('verify-code').fill(await codeFor('+85291234567', unbindAt));
  await verify.getByTestId('verify-submit').click();
  await page.getByText('已解绑“短信”。').waitFor();
  await expectText(page.getByTestId('method-sms'), 'method-state', '未绑定');
  await context.close();
});
