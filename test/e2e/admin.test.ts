import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { bindTotpOnPage, demo, e2eSuite, loginAs, logout, newContext, passwordStep, screenshot, stepUpOnPage, stepUpWithCode } from './harness.ts';

// A fake clock: the grace period ends without waiting 3 days, and each TOTP code gets its own time step.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });
const admin = { address: 'admin@example.test', password: 'Admin-pass-2026!' };
const day = 86_400_000;

function code(secret: string): string {
  clock.advance(30_000);
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
}

async function adminSignIn(page: Page, secret: string): Promise<void> {
  await passwordStep(page, e2e.server.url, admin);
  await page.getByTestId('verify-code').fill(code(secret));
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
}

test('X5 X12 an admin requires 2FA for the domain with 3 days of grace; the user sees the banner, must bind after it, and sees the admin\'s reset on 安全动态', async () => {
  await e2e.server.postern.ctx.accounts.create({ ...admin, isAdmin: true });
  const adminContext = await newContext(e2e.browser);
  const a = await adminContext.newPage();

  // An admin without 2FA is sent to bind a method first; then signs in with it.
  await loginAs(a, e2e.server.url, admin);
  await a.getByTestId('avatar').click();
  await a.getByTestId('admin-link').click();
  await a.getByTestId('admin-needs-2fa').waitFor();
  await a.getByTestId('admin-needs-2fa').getByRole('link').click();
  await a.waitForURL((u) => u.pathname === '/settings/security/two-factor');
  const secret = await bindTotpOnPage(a, code);
  await logout(a);
  await adminSignIn(a, secret);

  await a.goto(`${e2e.server.url}/admin/domains`);
  const card = a.getByTestId('domain-example.test');
  await card.getByText('要求二次验证').click();
  await card.getByTestId('policy-grace').fill('3');
  await card.getByTestId('policy-save').click();
  await stepUpOnPage(a, stepUpWithCode(code(secret)));
  await a.getByText('已保存').first().waitFor();

  // Inside the grace: the banner with the days left, and the user gets in.
  const userContext = await newContext(e2e.browser);
  const u = await userContext.newPage();
  await loginAs(u, e2e.server.url);
  await u.getByTestId('policy-banner').getByText('宽限期还剩 3 天').waitFor();
  await screenshot(u, 'x5-grace-banner');
  await logout(u);

  // After the grace: the login leads to binding a method, and nothing else opens until one is bound.
  clock.advance(3 * day + 60_000);
  await u.goto(`${e2e.server.url}/login`);
  await u.locator('input[autocomplete^="username"]').fill(demo.address);
  await u.locator('input[autocomplete="current-password"]').fill(demo.password);
  await u.locator('form button[type="submit"]').click();
  await u.waitForURL((url) => url.pathname === '/settings/security/two-factor');
  await u.getByTestId('policy-banner').getByText('宽限期已结束').waitFor();
  await u.goto(`${e2e.server.url}/`);
  await u.waitForURL((url) => url.pathname === '/settings/security/two-factor');
  await screenshot(u, 'x5-enrolment-required');
  await bindTotpOnPage(u, code);
  await u.getByTestId('policy-banner').waitFor({ state: 'detached' });
  await u.goto(`${e2e.server.url}/`);
  await u.getByText('test001').first().waitFor();
  assert.equal(new URL(u.url()).pathname, '/');
  await logout(u);

  // The admin (signed in again: days passed) resets the user's 2FA with a reason.
  await adminSignIn(a, secret);
  await a.goto(`${e2e.server.url}/admin/accounts`);
  await a.getByTestId('account-search').fill('test0');
  await a.locator(`[data-testid="account-row"][data-address="${demo.address}"]`).click();
  const details = a.getByTestId('account-details');
  await details.getByTestId('reset-reason').fill('工单 4711，已核验身份证');
  await details.getByTestId('reset-2fa').click();
  await stepUpOnPage(a, stepUpWithCode(code(secret)));
  await a.getByText('二次验证已重置').first().waitFor();
  await a.locator('.mantine-Notification-closeButton').first().click();
  await screenshot(a, 'admin-account-details-zh-CN', false);

  // The owner signs in with the password alone; past the grace, binds a new method first, then reads
  // who reset it and when, never the reason.
  await u.goto(`${e2e.server.url}/login`);
  await u.locator('input[autocomplete^="username"]').fill(demo.address);
  await u.locator('input[autocomplete="current-password"]').fill(demo.password);
  await u.locator('form button[type="submit"]').click();
  await u.waitForURL((url) => url.pathname === '/settings/security/two-factor');
  await bindTotpOnPage(u, code);
  await u.goto(`${e2e.server.url}/settings/security/activity`);
  const event = u.locator('[data-testid="activity-event"][data-type="admin_reset_2fa"]');
  await event.getByText('管理员重置了您的二次验证').waitFor();
  assert.match((await event.textContent()) ?? '', /\d{4}年\d{1,2}月\d{1,2}日.*操作人：管理员 admin@example\.test/);
  assert.doesNotMatch((await u.getByTestId('activity').textContent()) ?? '', /4711|身份证/);
  await screenshot(u, 'x12-activity-admin-reset');

  // The admin pages, in both languages.
  for (const [lang, label] of [['zh-CN', '中文'], ['en', 'English']] as const) {
    if (lang === 'en') await a.getByText(label, { exact: true }).click();
    for (const path of ['/admin', '/admin/domains', '/admin/accounts', '/admin/audit']) {
      await a.goto(`${e2e.server.url}${path}`);
      await a.getByRole('tab').first().waitFor();
      await a.waitForLoadState('networkidle');
      await screenshot(a, `admin${path.replace('/admin', '') .replace('/', '-') || ''}-${lang}`);
    }
  }
  await userContext.close();
  await adminContext.close();
});
