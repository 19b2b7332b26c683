import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite, loginAs, newContext, screenshot } from './harness.ts';
import { openMail, row } from './webmail.ts';

const e2e = e2eSuite();
const olga = { address: 'olga@example.test', password: 'Olga-pass-2026!', displayName: 'Olga' };

const mail = (from: string, subject: string, id: string, body: string, replyTo?: string) =>
  Buffer.from(`From: ${from}\r\nTo: ${olga.address}\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n${replyTo ? `In-Reply-To: <${replyTo}>\r\nReferences: <${replyTo}>\r\n` : ''}\r\n${body}\r\n`);

test('M3 conversation view: a thread is one row with its count, the reader lists its messages and opens each, the row acts on the whole thread', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(olga);
  await ctx.mail.deliver(account.id, mail('Pat <pat@example.org>', '季度计划', 'plan@example.org', '第一版计划'));
  await ctx.mail.deliver(account.id, mail('Quinn <quinn@example.org>', 'Re: 季度计划', 'plan-re@example.org', '我同意第一版', 'plan@example.org'));
  await ctx.mail.deliver(account.id, mail('Pat <pat@example.org>', '午餐', 'lunch@example.org', '12 点见'));

  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await page.getByTestId('gear').click();
  await page.getByTestId('settings-conversations').check();
  await page.getByTestId('settings-save').click();
  await page.getByText('邮箱设置已保存。').waitFor();
  await openMail(page);

  // The newest message stands for the thread, with how many it has; the original has no row of its own.
  await row(page, 'Re: 季度计划').getByTestId('row-thread-size').getByText('2', { exact: true }).waitFor();
  await row(page, '午餐').waitFor();
  assert.equal(await page.getByTestId('message-row').count(), 2);
  assert.equal(await row(page, '午餐').getByTestId('row-thread-size').count(), 0);

  await row(page, 'Re: 季度计划').click();
  const messages = page.getByTestId('conversation').getByTestId('conversation-message');
  await page.getByTestId('conversation').getByText('本会话共 2 封邮件').waitFor();
  assert.equal(await messages.count(), 2);
  assert.deepEqual(await messages.evaluateAll((els) => els.map((e) => e.getAttribute('aria-current'))), [null, 'true']);
  await page.frameLocator('[data-testid="mail-frame"]').getByText('我同意第一版').waitFor();
  await screenshot(page, 'webmail-conversation-zh-CN', false);

  // The newest message is read now, the older one not: the conversation stays unread.
  const inbox = await ctx.mail.specialMailbox(account.id, 'INBOX');
  const unseen = async () => (await ctx.mail.messages(inbox.id)).filter((m) => !m.flags.includes('\\Seen')).map((m) => m.subject).sort();
  for (let i = 0; i < 50 && (await unseen()).length > 2; i++) await page.waitForTimeout(100);
  assert.deepEqual(await unseen(), ['午餐', '季度计划']);
  await page.reload();
  await page.getByTestId('conversation').waitFor();
  assert.equal(await row(page, 'Re: 季度计划').getAttribute('data-unread'), 'true');
  // The older message of the thread, opened from the conversation.
  await messages.first().click();
  await page.getByTestId('reader-subject').getByText('季度计划', { exact: true }).waitFor();
  await page.frameLocator('[data-testid="mail-frame"]').getByText('第一版计划').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="conversation-message"]')?.getAttribute('aria-current') === 'true');
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="message-row"]')].some((r) => r.textContent?.includes('Re: 季度计划') && r.hasAttribute('data-unread')));

  // Marking the row unread marks both messages of the thread.
  await row(page, 'Re: 季度计划').getByTestId('row-select').click();
  await page.getByTestId('bulk-bar').getByRole('button', { name: '标为未读' }).click();
  for (let i = 0; i < 50 && (await unseen()).length < 3; i++) await page.waitForTimeout(100);
  assert.deepEqual(await unseen(), ['Re: 季度计划', '午餐', '季度计划']);

  // On a phone the conversation is the reader's pane of its own.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${e2e.server.url}/mail`);
  await row(page, 'Re: 季度计划').click();
  await page.getByTestId('conversation').getByText('本会话共 2 封邮件').waitFor();
  await screenshot(page, 'webmail-conversation-zh-CN-phone', false);
  await context.close();
});
