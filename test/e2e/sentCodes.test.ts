import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { e2eSuite, expectText, loginAs, logout, newContext, openTwoFactorPage, outboxCode, passwordStep, screenshot } from './harness.ts';

// Issue 19 items 1-3: the resend interval belongs to a purpose and a destination. The server's
// clock is fake so that nothing here waits a real minute; no test moves it past one.
const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock });

let n = 0;
/** A fresh account of its own per test: their waits never meet. */
async function newAccount() {
  const account = { address: `guide${++n}@example.test`, password: 'Guide-pass-2026!', displayName: `guide${n}` };
  await e2e.server.postern.ctx.accounts.create(account);
  return account;
}

const kinds = {
  sms: { title: '短信', first: '13800138001', firstTo: '+8613800138001', typo: '13900139001', typoMasked: '+86 139****9001', right: '13900139002', rightTo: '+8613900139002', rightMasked: '+86 139****9002' },
  backupEmail: { title: '备用邮箱', first: 'first@qq.com', firstTo: 'first@qq.com', typo: 'second@136.com', typoMasked: 'sec****@136.com', right: 'second@163.com', rightTo: 'second@163.com', rightMasked: 'sec****@163.com' },
} as const;

/** In the open bind dialog of `kind`: type `destination`, 发送验证码, and see where it went. */
async function sendTo(page: Page, kind: keyof typeof kinds, destination: string, masked?: string): Promise<number> {
  const dialog = page.getByTestId(`${kind}-dialog`);
  await dialog.getByTestId(`${kind}-destination`).fill(destination);
  const sentAt = clock.now().getTime();
  await dialog.getByTestId('send-code').click();
  if (masked) await dialog.getByTestId('sent-to').getByText(masked).waitFor();
  else await dialog.getByTestId('sent-to').waitFor();
  return sentAt;
}

async function bindFromDialog(page: Page, kind: keyof typeof kinds, destination: string, to: string): Promise<void> {
  await page.getByTestId(`method-${kind}`).getByTestId('method-bind').click();
  const sentAt = await sendTo(page, kind, destination);
  const dialog = page.getByTestId(`${kind}-dialog`);
  await dialog.getByTestId(`${kind}-code`).fill(await outboxCode(e2e.server, to, sentAt));
  await dialog.getByTestId(`${kind}-submit`).click();
  await dialog.waitFor({ state: 'detached' });
}

for (const kind of ['sms', 'backupEmail'] as const) {
  const k = kinds[kind];
  test(`D${kind === 'sms' ? 6 : 2} change ${kind} right after binding, verified by the current one: the new destination gets its code at once and a typo is corrected`, async () => {
    const account = await newAccount();
    const context = await newContext(e2e.browser);
    const page = await context.newPage();
    await loginAs(page, e2e.server.url, account);
    await openTwoFactorPage(page, e2e.server.url);
    await bindFromDialog(page, kind, k.first, k.firstTo);
    await expectText(page, 'two-factor-status', '已开启');

    // Verify with the current phone or address a few seconds after its bind code went out.
    clock.advance(5_000);
    await page.getByTestId(`method-${kind}`).getByTestId('method-change').click();
    const verify = page.getByTestId('verify-dialog');
    const changeAt = clock.now().getTime();
    await verify.getByTestId('send-code').click();
    await verify.getByTestId('sent-to').waitFor();
    await verify.getByTestId('verify-code').fill(await outboxCode(e2e.server, k.firstTo, changeAt));
    await verify.getByTestId('verify-submit').click();

    // A never-used destination gets its code at once; so does the corrected one after a typo.
    clock.advance(4_000);
    const dialog = page.getByTestId(`${kind}-dialog`);
    await sendTo(page, kind, k.typo, k.typoMasked);
    await dialog.getByText('60 秒后可重新发送').waitFor();
    await dialog.getByTestId(`${kind}-destination`).fill(k.right);
    assert.equal(await dialog.getByTestId('send-code').isEnabled(), true, 'another destination has no wait');
    const rightAt = await sendTo(page, kind, k.right, k.rightMasked);
    assert.equal(await dialog.getByTestId(`${kind}-error`).count(), 0);
    await dialog.getByTestId(`${kind}-code`).fill(await outboxCode(e2e.server, k.rightTo, rightAt));
    await screenshot(page, `${kind}-change-corrected-zh-CN`, false);
    await dialog.getByTestId(`${kind}-submit`).click();
    await page.getByText(`已成功换绑“${k.title}”。`).waitFor();
    await expectText(page.getByTestId(`method-${kind}`), 'method-label', k.rightMasked);
    await context.close();
  });
}

test('C5 C8 bind SMS, then log in with it 40 s later: the code goes out by itself; after a reload the button counts the server\'s seconds', async () => {
  const account = await newAccount();
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, account);
  await openTwoFactorPage(page, e2e.server.url);
  await bindFromDialog(page, 'sms', kinds.sms.first, kinds.sms.firstTo);
  await logout(page);

  clock.advance(40_000);
  const loginAt = clock.now().getTime();
  await passwordStep(page, e2e.server.url, account);
  await page.getByTestId('sent-to').getByText('+86 138****8001').waitFor();
  assert.equal(await page.getByTestId('verify-error').count(), 0);

  clock.advance(15_000);
  await page.reload();
  await page.getByText('45 秒后可重新发送').waitFor();
  assert.equal(await page.getByTestId('send-code').isDisabled(), true, 'never enabled while the server would refuse');
  assert.equal(await page.getByTestId('verify-error').count(), 0, 'no refusal: nothing was asked for');
  await screenshot(page, 'login-step2-sms-after-reload-zh-CN');
  await page.getByTestId('verify-code').fill(await outboxCode(e2e.server, kinds.sms.firstTo, loginAt));
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  await context.close();
});

test('B4 C8 closing and reopening the bind dialog within the minute: the code already sent can still be entered', async () => {
  const account = await newAccount();
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, account);
  await openTwoFactorPage(page, e2e.server.url);
  await page.getByTestId('method-sms').getByTestId('method-bind').click();
  const sentAt = await sendTo(page, 'sms', kinds.sms.first);
  const dialog = page.getByTestId('sms-dialog');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'detached' });

  await page.getByTestId('method-sms').getByTestId('method-bind').click();
  const code = dialog.getByTestId('sms-code');
  assert.equal(await code.isEnabled(), true, 'the code box takes the code already sent');
  assert.equal(await dialog.getByTestId('sms-destination').inputValue(), kinds.sms.first);
  assert.equal(await dialog.getByTestId('send-code').isDisabled(), true);
  await dialog.getByText(/^\d+ 秒后可重新发送$/).waitFor();
  await screenshot(page, 'sms-bind-reopened-zh-CN', false);
  await code.fill(await outboxCode(e2e.server, kinds.sms.firstTo, sentAt));
  await dialog.getByTestId('sms-submit').click();
  await page.getByText('已成功绑定“短信”，二次验证已开启。').waitFor();
  await context.close();
});
