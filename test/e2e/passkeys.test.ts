import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { CDPSession, Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { bindTotpOnPage, e2eSuite, expectAccessible, expectText, loginAs, logout, newContext, openTwoFactorPage, passwordStep, screenshot, stepUpOnPage } from './harness.ts';

/** A free port: passkeys need the origin the browser shows, http://localhost:<port>, known before the server starts. */
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const url = `http://localhost:${port}`;
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({ POSTERN_WEB_PORT: String(port), POSTERN_PUBLIC_URL: url }, { clock });

/** A CDP virtual authenticator on `page`: the platform passkey of a laptop, or a USB key without user verification. */
async function addAuthenticator(cdp: CDPSession, kind: 'platform' | 'usb'): Promise<string> {
  await cdp.send('WebAuthn.enable');
  const options =
    kind === 'platform'
      ? { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
      : { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true };
  return (await cdp.send('WebAuthn.addVirtualAuthenticator', { options: options as never })).authenticatorId;
}

/**
 * Whether the user touches the key. The login page offers passkeys in the address field
 * (conditional UI), which a virtual authenticator that is touched would answer at once; a user who
 * types the password instead leaves that offer alone.
 */
const touches = (cdp: CDPSession, authenticatorId: string, enabled: boolean) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });

const useKey = async (scope: Page | ReturnType<Page['getByTestId']>) => scope.getByTestId('use-key').click();

/** Names a key in the bind dialog (opened here, or by a change) and lets the authenticator create it. */
async function bindKey(page: Page, name: string, open = true): Promise<void> {
  if (open) await page.getByTestId('method-webauthn').getByTestId('method-bind').click();
  const dialog = page.getByTestId('webauthn-dialog');
  await dialog.getByTestId('webauthn-name').fill(name);
  await expectAccessible(page, 'webauthn-dialog');
  await dialog.getByTestId('webauthn-submit').click();
  await dialog.waitFor({ state: 'detached' });
}

async function showIn(page: Page, lang: 'zh-CN' | 'en'): Promise<void> {
  await page.evaluate((l) => {
    localStorage.setItem('lang', l);
    document.cookie = `lang=${l}; Path=/`;
  }, lang);
  await page.reload();
}

/** Closes the notices in the corner, which would hide the list's buttons in a screenshot. */
async function closeNotices(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notification-closeButton');
  while ((await close.count()) > 0) await close.first().click();
  await page.evaluate(() => window.scrollTo(0, 0));
}

const totpCode = (secret: string) => {
  clock.advance(30_000);
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
};

test('X1 a passkey binds, signs in at step 2 and without a password, and is removed; a USB security key is a second step only', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const laptop = await addAuthenticator(cdp, 'platform');

  await loginAs(page, url);
  await openTwoFactorPage(page, url);
  await expectText(page.getByTestId('method-webauthn'), 'method-state', '未绑定');
  await bindKey(page, '我的笔记本');
  await page.getByText('已成功绑定“安全密钥/通行密钥”，二次验证已开启。').waitFor();
  const row = page.getByTestId('key-row');
  await expectText(row, 'key-name', '我的笔记本');
  await expectText(row, 'key-hint', '本设备');

  // Rename.
  await row.getByTestId('key-rename').click();
  await page.getByTestId('rename-name').fill('我的电脑');
  await page.getByTestId('rename-submit').click();
  await expectText(row, 'key-name', '我的电脑');
  await closeNotices(page);
  await screenshot(page, 'passkeys-two-step-zh-CN');

  // Step 2 with the passkey, trusting the browser (C7): the next password sign-in skips step 2.
  await touches(cdp, laptop, false);
  await logout(page);
  await passwordStep(page, url);
  await touches(cdp, laptop, true);
  await page.getByTestId('use-key').waitFor();
  await page.getByTestId('trust-device').check();
  await useKey(page);
  await page.waitForURL((u) => u.pathname === '/');
  await touches(cdp, laptop, false);
  await logout(page);
  await page.locator('input[autocomplete^="username"]').fill('test001@example.test');
  await page.locator('input[autocomplete="current-password"]').fill('Demo-pass-2026!');
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');

  // Passwordless: 使用通行密钥登录.
  await logout(page);
  await page.getByTestId('passkey-login').waitFor();
  await screenshot(page, 'passkeys-login-zh-CN');
  await touches(cdp, laptop, true);
  await page.getByTestId('passkey-login').click();
  await page.waitForURL((u) => u.pathname === '/');
  const signIns = (await e2e.server.postern.ctx.audit.list((await e2e.server.postern.ctx.accounts.repo.findByAddress('test001@example.test'))!.id)).filter((e) => e.type === 'login_succeeded');
  assert.deepEqual(signIns[0].detail, { secondFactor: true, passkey: true });

  // Remove the key: the step-up and the unbind are both answered by the key itself.
  await openTwoFactorPage(page, url);
  assert.match((await page.getByTestId('key-last-used').textContent())!, /^上次使用 /);
  await page.getByTestId('key-row').getByTestId('method-unbind').click();
  await page.getByTestId('last-method-warning').waitFor();
  await page.getByTestId('unbind-confirm-ok').click();
  await stepUpOnPage(page, useKey);
  const verify = page.getByTestId('verify-dialog');
  await useKey(verify);
  await verify.waitFor({ state: 'detached' });
  await expectText(page, 'two-factor-status', '未开启');
  assert.equal(await page.getByTestId('key-row').count(), 0);

  // A USB security key without user verification: bound, then only a second step.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: laptop });
  await addAuthenticator(cdp, 'usb');
  await bindKey(page, 'YubiKey');
  await expectText(page.getByTestId('key-row'), 'key-hint', '外接安全密钥');
  await logout(page);
  await page.getByTestId('passkey-login').click();
  await page.getByTestId('login-error').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await passwordStep(page, url);
  await useKey(page);
  await page.waitForURL((u) => u.pathname === '/');

  // With TOTP too, the switcher offers 使用安全密钥 first on this device, where the key was used last,
  // though the account's last use was TOTP on another device.
  await openTwoFactorPage(page, url);
  const secret = await bindTotpOnPage(page, totpCode, useKey);
  const other = await newContext(e2e.browser);
  const otherPage = await other.newPage();
  await passwordStep(otherPage, url);
  await otherPage.getByTestId('method-switch').getByText('第三方 OTP').click();
  await otherPage.getByTestId('verify-code').fill(totpCode(secret));
  await otherPage.getByTestId('verify-submit').click();
  await otherPage.waitForURL((u) => u.pathname === '/');
  await other.close();

  await logout(page);
  await passwordStep(page, url);
  await page.getByTestId('use-key').waitFor();
  await screenshot(page, 'passkeys-step2-zh-CN');
  await showIn(page, 'en');
  await page.getByRole('button', { name: 'Use security key' }).waitFor();
  await screenshot(page, 'passkeys-step2-en');
  await useKey(page);
  await page.waitForURL((u) => u.pathname === '/');
  await openTwoFactorPage(page, url);
  await expectText(page.getByTestId('key-row'), 'key-hint', 'Security key');
  await closeNotices(page);
  await screenshot(page, 'passkeys-two-step-en');

  // Replacing the key is verified by any bound method, here the authenticator app.
  await page.getByTestId('key-row').getByTestId('method-change').click();
  const change = page.getByTestId('verify-dialog');
  await change.getByTestId('method-switch').getByText('Third-party OTP').click();
  await change.getByTestId('verify-code').fill(totpCode(secret));
  await change.getByTestId('verify-submit').click();
  await bindKey(page, 'YubiKey 2', false);
  await page.getByText('Security key / passkey has been changed.').waitFor();
  // The notice comes as the list is fetched again: wait for the new row, then nothing else is listed.
  await expectText(page, 'key-name', 'YubiKey 2');
  assert.deepEqual(await page.getByTestId('key-name').allTextContents(), ['YubiKey 2']);
  await page.getByTestId('avatar').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByTestId('passkey-login').waitFor();
  await screenshot(page, 'passkeys-login-en');
  await context.close();
});
