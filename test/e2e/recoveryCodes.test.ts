import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { bindTotpOnPage, e2eSuite, expectText, loginAs, logout, newContext, openTwoFactorPage, passwordStep, screenshot, stepUpOnPage, stepUpWithCode } from './harness.ts';

// A fake clock: each TOTP use gets its own time step without waiting.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });

function nextCode(key: string): string {
  clock.advance(30_000);
  return new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
}

/** Step 2 with a recovery code chosen on the switcher. */
async function recoveryStep(page: Page, code: string): Promise<void> {
  await page.getByTestId('method-switch').getByText('恢复码', { exact: true }).click();
  await page.getByTestId('verify-code').fill(code);
  await page.getByTestId('verify-submit').click();
}

test('X2 recovery codes in the browser: generate after a verification, shown once, sign in with one, each works once', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await openTwoFactorPage(page, e2e.server.url);
  assert.equal(await page.getByTestId('recovery-codes').count(), 0, 'offered only once 2FA is on');

  const key = await bindTotpOnPage(page, nextCode);
  await expectText(page, 'two-factor-status', '已开启');
  const card = page.getByTestId('recovery-codes');
  await card.getByTestId('recovery-generate').click();
  // X9: binding does not open sudo mode; the step-up dialog asks for the app's code, then the codes come.
  await stepUpOnPage(page, stepUpWithCode(nextCode(key)), 'step-up-verification-zh-CN');

  const dialog = page.getByTestId('recovery-dialog');
  await dialog.getByTestId('recovery-warning').getByText('妥善保管').waitFor();
  const codes = await dialog.getByTestId('recovery-code').allTextContents();
  assert.equal(codes.length, 10);
  for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  await screenshot(page, 'recovery-codes-dialog-zh-CN', false);
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('recovery-download').click()]);
  assert.equal(download.suggestedFilename(), 'postern-recovery-codes.txt');
  const saved = readFileSync((await download.path())!, 'utf8');
  for (const code of codes) assert.ok(saved.includes(code), 'the file holds every code');
  await dialog.getByTestId('recovery-done').click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(card, 'recovery-left', '剩余 10/10 个');

  // Every device lost: step 2 with a recovery code.
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await recoveryStep(page, codes[0]);
  await page.waitForURL((u) => u.pathname === '/');

  // The same code is refused the next time; another one works.
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await recoveryStep(page, codes[0]);
  await page.getByTestId('verify-error').getByText('该恢复码已使用过').waitFor();
  await screenshot(page, 'login-step2-recovery-zh-CN', false);
  await page.getByTestId('verify-code').fill(codes[1]);
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  await openTwoFactorPage(page, e2e.server.url);
  await expectText(page.getByTestId('recovery-codes'), 'recovery-left', '剩余 8/10 个');
  await context.close();
});
