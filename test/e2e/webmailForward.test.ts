import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { e2eSuite, loginAs, newContext, screenshot } from './harness.ts';
import { openMail, row } from './webmail.ts';

const e2e = e2eSuite();
const olga = { address: 'olga@example.test', password: 'Olga-pass-2026!', displayName: 'Olga' };
const bob = { address: 'bob@example.test', password: 'Bob-pass-2026!', displayName: 'Bob' };
const report = Buffer.from('%PDF-1.4 quarterly numbers\n');

const original = Buffer.from(
  [
    'From: Pat <pat@example.org>',
    `To: ${olga.address}`,
    'Subject: 月报',
    'Message-ID: <report@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '请看附件中的月报。',
    '--b1',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Disposition: attachment; filename="report.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    report.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n'),
);

/** Forwards the open message to Bob, with a note, and waits until it is sent (after the undo window). */
async function forwardToBob(page: Page, note: string, asAttachment: boolean): Promise<void> {
  await page.getByTestId('forward').click();
  await page.getByTestId('compose-subject').waitFor();
  assert.equal(await page.getByTestId('compose-subject').inputValue(), 'Fwd: 月报');
  await page.getByTestId('compose-to').fill(bob.address);
  await page.getByTestId('compose-to').press('Enter');
  if (asAttachment) {
    // The message goes as it is: the body is a new one, the original's own attachments are inside it.
    await page.getByLabel('作为附件转发').check();
    await page.getByTestId('compose-attachment').getByText('月报.eml').waitFor();
    assert.deepEqual(await page.getByTestId('compose-attachment').allTextContents(), ['月报.eml']);
    assert.equal(await page.getByTestId('compose-body').getByText('转发的邮件').count(), 0);
  } else {
    assert.deepEqual(await page.getByTestId('compose-attachment').allTextContents(), ['report.pdf']);
    await page.getByTestId('compose-body').getByText('转发的邮件').waitFor();
  }
  // On the empty first line, above the forwarded message.
  await page.getByTestId('compose-body').locator('p').first().click();
  await page.keyboard.type(note);
  await screenshot(page, `webmail-forward${asAttachment ? '-as-attachment' : ''}-zh-CN`, false);
  await page.getByTestId('compose-send').click();
  await page.getByTestId('pending-send').waitFor();
  await page.getByTestId('pending-send').waitFor({ state: 'detached', timeout: 15_000 });
}

test('M3 转发: inline with the original\'s attachment and quoted text, or the original itself attached; the original marked $forwarded', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(olga);
  const bobAccount = await ctx.accounts.create(bob);
  await ctx.mail.deliver(account.id, original);
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await openMail(page);
  await row(page, '月报').click();
  await page.getByTestId('attachment-name').getByText('report.pdf').waitFor();

  await forwardToBob(page, '转给你看看', false);
  await forwardToBob(page, '原件附上', true);

  const inbox = await ctx.mail.specialMailbox(bobAccount.id, 'INBOX');
  let received = await ctx.mail.messages(inbox.id);
  for (let i = 0; i < 50 && received.length < 2; i++) {
    await page.waitForTimeout(100);
    received = await ctx.mail.messages(inbox.id);
  }
  assert.equal(received.length, 2);
  const [inline, attached] = await Promise.all(received.map(async (m) => simpleParser(await ctx.mail.read(m))));
  assert.equal(inline.subject, 'Fwd: 月报');
  assert.match(inline.text ?? '', /转给你看看[\s\S]*转发的邮件[\s\S]*请看附件中的月报。/);
  assert.deepEqual(inline.attachments.map((a) => [a.filename, a.content.equals(report)]), [['report.pdf', true]]);
  assert.equal((attached.text ?? '').trim(), '原件附上');
  assert.deepEqual(attached.attachments.map((a) => a.contentType), ['message/rfc822']);
  const [eml] = attached.attachments;
  const inner = await simpleParser(eml.content);
  assert.equal(inner.messageId, '<report@example.org>');
  assert.ok(inner.attachments[0].content.equals(report));

  const [mine] = await ctx.mail.messages((await ctx.mail.specialMailbox(account.id, 'INBOX')).id);
  assert.ok(mine.flags.some((f) => f.toLowerCase() === '$forwarded'), String(mine.flags));
  await context.close();
});
