import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { e2eSuite, loginAs, newContext, screenshot } from './harness.ts';
import { openMail } from './webmail.ts';

const e2e = e2eSuite();
const olga = { address: 'olga@example.test', password: 'Olga-pass-2026!', displayName: 'Olga' };

const plain = (from: string, subject: string) => `From: ${from}\r\nTo: ${olga.address}\r\nSubject: ${subject}\r\n\r\n${subject}\r\n`;
const withFile = (from: string, subject: string) =>
  `From: ${from}\r\nTo: ${olga.address}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${subject}\r\n--b\r\nContent-Type: text/plain; name="a.txt"\r\nContent-Disposition: attachment; filename="a.txt"\r\n\r\nfile\r\n--b--\r\n`;

/** The subjects the list shows, sorted. */
async function shown(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message-row"]').length === n, count);
  return (await page.getByTestId('row-subject').allTextContents()).sort();
}

/** Opens 筛选, lets `fill` set the panel, and searches. */
async function filter(page: Page, fill: () => Promise<void>): Promise<void> {
  if (await page.getByTestId('search-clear').isVisible()) {
    await page.getByTestId('search-clear').click();
    await page.getByTestId('search-clear').waitFor({ state: 'detached' });
  }
  await page.getByTestId('search-filters').click();
  await fill();
  await page.getByRole('dialog').getByRole('button', { name: '搜索', exact: true }).click();
}

test('M3 筛选: sender, subject, unread, starred, attachment, dates and every folder, kept in the address', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(olga);
  await ctx.mail.deliver(account.id, Buffer.from(withFile('Pat <pat@example.org>', '周报 A')));
  await ctx.mail.deliver(account.id, Buffer.from(plain('Quinn <quinn@example.org>', '周报 B')), 'INBOX', ['\\Flagged', '\\Seen']);
  await ctx.mail.deliver(account.id, Buffer.from(plain('Pat <pat@example.org>', '午餐')));
  await ctx.mail.deliver(account.id, Buffer.from(plain(olga.address, '周报 C')), '\\Sent', ['\\Seen']);
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await openMail(page);
  assert.deepEqual(await shown(page, 3), ['午餐', '周报 A', '周报 B']);

  await filter(page, async () => {
    await page.getByTestId('search-from').fill('pat');
    await page.getByTestId('search-attachment').check();
    await screenshot(page, 'webmail-filters-zh-CN', false);
  });
  await page.waitForURL((u) => u.searchParams.get('from') === 'pat' && u.searchParams.get('att') === '1');
  assert.deepEqual(await shown(page, 1), ['周报 A']);
  await page.reload();
  assert.deepEqual(await shown(page, 1), ['周报 A']);

  await filter(page, () => page.getByTestId('search-unread').check());
  assert.deepEqual(await shown(page, 2), ['午餐', '周报 A']);
  await filter(page, () => page.getByTestId('search-flagged').check());
  assert.deepEqual(await shown(page, 1), ['周报 B']);
  await filter(page, () => page.getByTestId('search-subject').fill('周报'));
  assert.deepEqual(await shown(page, 2), ['周报 A', '周报 B']);
  await filter(page, async () => {
    await page.getByTestId('search-subject').fill('周报');
    await page.getByTestId('search-everywhere').check();
  });
  assert.deepEqual(await shown(page, 3), ['周报 A', '周报 B', '周报 C']);

  // Dates are days in the browser's zone: up to yesterday finds nothing, from today everything.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - 86_400_000));
  await filter(page, () => page.getByLabel('结束日期').fill(yesterday));
  await page.getByTestId('list-empty').waitFor();
  await filter(page, () => page.getByLabel('开始日期').fill(today));
  assert.deepEqual(await shown(page, 3), ['午餐', '周报 A', '周报 B']);
  await page.getByTestId('search-clear').click();
  await page.waitForURL((u) => !u.searchParams.has('after'));
  assert.deepEqual(await shown(page, 3), ['午餐', '周报 A', '周报 B']);
  await context.close();
});
