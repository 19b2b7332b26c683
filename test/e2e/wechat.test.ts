import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { e2eSuite, expectAccessible, expectText, loginAs, logout, newContext, openTwoFactorPage, passwordStep, screenshot, stepUpOnPage } from './harness.ts';

const e2e = e2eSuite();

/** Plays the phone: opens the QR's URL (the emulator's scan page) as `user` and answers. */
async function scanAndAnswer(context: BrowserContext, page: Page, user: string, action: 'wechat-approve' | 'wechat-deny', shot?: string): Promise<{ phone: Page; asks: string }> {
  const scanUrl = await page.getByTestId('wechat-qr').getAttribute('data-scan-url');
  assert.match(scanUrl!, /\/dev\/wechat\/scan\?c=/);
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 420, height: 720 });
  await phone.goto(scanUrl!);
  await phone.getByTestId('wechat-user').fill(user);
  if (shot) await screenshot(phone, shot);
  const asks = await phone.getByTestId('wechat-request').innerText();
  await phone.getByTestId(action).click();
  // The answer page has loaded before anyone closes the phone (closing mid-navigation can hang).
  await phone.locator('[data-testid="wechat-done"], [data-testid="wechat-error"]').waitFor();
  return { phone, asks };
}

test('B3 C4 D3 D4 WeChat: bind by scan, log in by QR and by the mini-program code, change, unbind by scan', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url);
  await openTwoFactorPage(page, e2e.server.url);
  const card = page.getByTestId('method-wechat');
  await expectText(card, 'method-state', '未绑定');

  // B3: 绑定 → QR → scan and 授权 on the phone → the dialog notices by itself.
  await card.getByTestId('method-bind').click();
  const dialog = page.getByTestId('wechat-dialog');
  await dialog.getByTestId('wechat-qr').waitFor();
  await dialog.getByTestId('wechat-waiting').waitFor();
  await screenshot(page, 'wechat-bind-dialog', false);
  // Refused on the phone: the dialog says so and offers a new QR.
  const { phone: refuser } = await scanAndAnswer(context, page, 'wx-alice', 'wechat-deny');
  await refuser.getByTestId('wechat-done').waitFor();
  await refuser.close();
  await dialog.getByTestId('wechat-error').getByText('已在手机上拒绝').waitFor();
  await screenshot(page, 'wechat-bind-denied', false);
  await dialog.getByTestId('wechat-refresh').click();
  await dialog.getByTestId('wechat-waiting').waitFor();
  const { phone, asks: bindAsks } = await scanAndAnswer(context, page, 'wx-alice', 'wechat-approve', 'wechat-phone-bind');
  assert.match(bindAsks, /test001@example\.test 请求绑定微信/);
  await phone.getByTestId('wechat-done').waitFor();
  await dialog.waitFor({ state: 'detached' });
  await expectText(card, 'method-state', '已绑定');
  await phone.close();

  // C4: step 2 shows the QR; another WeChat account is refused on the phone, the bound one logs in.
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await page.getByTestId('wechat-qr').waitFor();
  await screenshot(page, 'wechat-login-qr', false);
  const { phone: stranger } = await scanAndAnswer(context, page, 'wx-mallory', 'wechat-approve');
  await stranger.getByText('当前微信不是该邮箱绑定的微信').waitFor();
  await stranger.close();
  const { phone: owner, asks } = await scanAndAnswer(context, page, 'wx-alice', 'wechat-approve', 'wechat-phone-login');
  assert.match(asks, /请求登录邮箱[\s\S]*浏览器/);
  await page.waitForURL((u) => u.pathname === '/');
  await owner.close();

  // C4: 扫码失败？使用验证码 → the 6-digit code of the mini-program 邮箱安全助手.
  await logout(page);
  await passwordStep(page, e2e.server.url);
  await page.getByTestId('wechat-qr').waitFor();
  await page.getByTestId('wechat-use-code').click();
  const assistant = await context.newPage();
  await assistant.goto(`${e2e.server.url}/dev/wechat/assistant?user=wx-alice`);
  await assistant.setViewportSize({ width: 420, height: 720 });
  const code = (await assistant.getByTestId('wechat-code').innerText()).trim();
  await screenshot(assistant, 'wechat-phone-assistant');
  assert.match(code, /^\d{6}$/);
  await screenshot(page, 'wechat-login-code', false);
  await page.getByTestId('verify-code').fill(code);
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  await assistant.close();

  // D4: 换绑 → verify with the current WeChat → the new WeChat account scans the binding QR.
  await openTwoFactorPage(page, e2e.server.url);
  await card.getByTestId('method-change').click();
  const verifyChange = page.getByTestId('verify-dialog');
  await verifyChange.getByTestId('wechat-qr').waitFor();
  await expectAccessible(page, 'wechat-change-verify-dialog-zh-CN');
  const { phone: current } = await scanAndAnswer(context, page, 'wx-alice', 'wechat-approve');
  await current.close();
  await verifyChange.waitFor({ state: 'detached' });
  const change = page.getByTestId('wechat-dialog');
  await change.getByText('换绑微信').waitFor();
  await change.getByTestId('wechat-qr').waitFor();
  const { phone: next } = await scanAndAnswer(context, page, 'wx-bob', 'wechat-approve');
  await next.close();
  await change.waitFor({ state: 'detached' });
  await expectText(card, 'method-state', '已绑定');

  // D3: 解绑 → 确定 → scan → 确认 on the phone (by the WeChat bound now) → unbound, 2FA off.
  await card.getByTestId('method-unbind').click();
  await page.getByTestId('unbind-confirm-ok').click();
  // X9: a step-up first (scan with the WeChat bound now), then the unbind's own scan.
  await stepUpOnPage(page, async (dialog) => {
    await dialog.getByTestId('wechat-qr').waitFor();
    const { phone } = await scanAndAnswer(context, page, 'wx-bob', 'wechat-approve');
    await phone.close();
  });
  const verify = page.getByTestId('verify-dialog');
  await verify.getByTestId('wechat-qr').waitFor();
  const { phone: old } = await scanAndAnswer(context, page, 'wx-alice', 'wechat-approve');
  await old.getByText('当前微信不是该邮箱绑定的微信').waitFor();
  await old.close();
  const { phone: confirm } = await scanAndAnswer(context, page, 'wx-bob', 'wechat-approve');
  await confirm.getByTestId('wechat-done').waitFor();
  await verify.waitFor({ state: 'detached' });
  await expectText(card, 'method-state', '未绑定');
  await context.close();
});

test('B3 the WeChat card shows which WeChat is bound, masked like the email and phone on theirs', async () => {
  const account = { address: 'wechat-card@example.test', password: 'Wechat-card-2026!', displayName: 'wechat-card' };
  await e2e.server.postern.ctx.accounts.create(account);
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, account);
  await openTwoFactorPage(page, e2e.server.url);
  const card = page.getByTestId('method-wechat');
  await card.getByTestId('method-bind').click();
  await page.getByTestId('wechat-dialog').getByTestId('wechat-qr').waitFor();
  const { phone } = await scanAndAnswer(context, page, 'wx-carol-2026', 'wechat-approve');
  await phone.close();
  await expectText(card, 'method-state', '已绑定');
  await expectText(card, 'method-label', 'wx-c****2026');
  await screenshot(page, 'wechat-card-bound-zh-CN', false);
  await context.close();
});
