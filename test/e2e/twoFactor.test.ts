import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { e2eSuite, expectAccessible, expectText, loginAs, logout, newContext, openTwoFactorPage, passwordStep, screenshot, stepUpOnPage, stepUpWithCode } from './harness.ts';

// The server runs on a fake clock so that each TOTP use gets its own time step without waiting.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });

/** What the authenticator app shows for `secret`, one time step later than the last code typed. */
function nextCode(secret: string): string {
  clock.advance(30_000);
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/ /g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
}

async function secondStep(page: Page, code: string, trust = false): Promise<void> {
  if (trust) await page.getByTestId('trust-device').check();
  await page.getByTestId('verify-code').fill(code);
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
}

/** Binds TOTP in its dialog (already open) and returns the key shown there. */
async function bindInDialog(page: Page, shot?: string): Promise<string> {
  const dialog = page.getByTestId('totp-dialog');
  await dialog.getByTestId('totp-qr').waitFor();
  const secret = (await dialog.getByTestId('totp-secret').textContent())!.replace(/ /g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await page.waitForFunction(() => (document.querySelector('[data-testid="totp-qr"]') as HTMLImageElement | null)?.complete);
  if (shot) await screenshot(page, shot, false);
  await dialog.getByTestId('totp-code').fill(nextCode(secret));
  await dialog.getByTestId('totp-submit').click();
  await dialog.waitFor({ state: 'detached' });
  return secret;
}

test('B5 C1 C6 C7 C9 D7 D8 D9 TOTP in the browser: bind, step 2, trusted device, change, unbind', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await openTwoFactorPage(page, e2e.server.url);
  assert.equal(await page.getByTestId('two-factor-status').textContent(), '未开启');
  for (const [kind, state] of [['backupEmail', '未绑定'], ['wechat', '未绑定'], ['sms', '未绑定'], ['totp', '未绑定']]) {
    assert.equal(await page.getByTestId(`method-${kind}`).getByTestId('method-state').textContent(), state, kind);
  }
  await page.getByTestId('client-notice').getByText('必须使用客户端专用密码').waitFor();

  // B5: bind with the key read from the page.
  await page.getByTestId('method-totp').getByTestId('method-bind').click();
  const secret = await bindInDialog(page, 'totp-bind-dialog-zh-CN');
  await page.getByText('已成功绑定“第三方 OTP”，二次验证已开启。').waitFor();
  await expectText(page, 'two-factor-status', '已开启');
  await expectText(page.getByTestId('method-totp'), 'method-state', '已绑定');
  await screenshot(page, 'two-factor-zh-CN');

  // C1 C6: step 2 after the password; the code used to bind is refused as a replay.
  const bindCode = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await page.getByText('您的账户已开启二次验证，请完成验证后登录。').waitFor();
  await screenshot(page, 'login-step2-zh-CN');
  await page.getByTestId('verify-code').fill(bindCode);
  await page.getByTestId('verify-submit').click();
  await page.getByTestId('verify-error').getByText('该验证码已使用过').waitFor();
  await secondStep(page, nextCode(secret));

  // C7: trust this browser; the next login skips step 2.
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await secondStep(page, nextCode(secret), true);
  await logout(page);
  await loginAs(page, e2e.server.url);

  // C9: remove the trust on 登录设备; step 2 is asked again.
  await page.goto(`${e2e.server.url}/settings/security/devices`);
  await page.getByTestId('trusted-row').waitFor();
  assert.equal(await page.getByTestId('trusted-row').count(), 1);
  await screenshot(page, 'devices-trusted-zh-CN');
  await page.getByTestId('trusted-remove').click();
  await page.getByTestId('trusted-empty').waitFor();
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await secondStep(page, nextCode(secret));

  // D8: change, verified with the old app; then the new app's key and code.
  await openTwoFactorPage(page, e2e.server.url);
  await page.getByTestId('method-totp').getByTestId('method-change').click();
  const verify = page.getByTestId('verify-dialog');
  await verify.getByTestId('verify-code').waitFor();
  await expectAccessible(page, 'totp-change-verify-dialog-zh-CN');
  await verify.getByTestId('verify-code').fill(nextCode(secret));
  await verify.getByTestId('verify-submit').click();
  const newSecret = await bindInDialog(page);
  assert.notEqual(newSecret, secret);
  await page.getByText('已成功换绑“第三方 OTP”。').waitFor();

  // D7 D9: unbinding the last method warns that 2FA turns off, needs the (new) app's code, and does so.
  await page.getByTestId('method-totp').getByTestId('method-unbind').click();
  await page.getByTestId('last-method-warning').waitFor();
  await screenshot(page, 'two-factor-unbind-last-zh-CN', false);
  await page.getByTestId('unbind-confirm-ok').click();
  // X9: signed in without sudo mode, so a step-up first; then the unbind's own verification.
  await stepUpOnPage(page, stepUpWithCode(nextCode(newSecret)));
  await verify.getByTestId('verify-code').fill(nextCode(secret));
  await verify.getByTestId('verify-submit').click();
  await verify.getByTestId('verify-error').waitFor();
  await verify.getByTestId('verify-code').fill(nextCode(newSecret));
  await verify.getByTestId('verify-submit').click();
  await page.getByText('已解绑“第三方 OTP”，二次验证已关闭。').waitFor();
  await expectText(page, 'two-factor-status', '未开启');

  await logout(page);
  await loginAs(page, e2e.server.url);
  await context.close();
});
