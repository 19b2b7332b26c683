import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite, loginAs, newContext, screenshot } from './harness.ts';
import { openFolder, openMail, row } from './webmail.ts';

const e2e = e2eSuite();
const olga = { address: 'olga@example.test', password: 'Olga-pass-2026!', displayName: 'Olga' };

test('M3 举报垃圾邮件 and 不是垃圾邮件: from the reader and for a selection, into 垃圾邮件 with $junk and back to 收件箱 with $notjunk; 清空垃圾邮件', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(olga);
  for (const subject of ['恭喜中奖', '低价促销', '正常的信']) {
    await ctx.mail.deliver(account.id, Buffer.from(`From: Spammer <win@example.org>\r\nTo: ${olga.address}\r\nSubject: ${subject}\r\n\r\n${subject}\r\n`));
  }
  const flagsOf = async (subject: string) => {
    for (const box of await ctx.mail.mailboxes(account.id)) {
      const m = (await ctx.mail.messages(box.id)).find((x) => x.subject === subject);
      if (m) return { box: box.specialUse ?? box.name, flags: m.flags.map((f) => f.toLowerCase()) };
    }
    return null;
  };
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await openMail(page);

  // From the reader: 更多 → 举报垃圾邮件.
  await row(page, '恭喜中奖').click();
  await page.getByTestId('more').click();
  await page.getByTestId('spam').click();
  await row(page, '恭喜中奖').waitFor({ state: 'detached' });
  // For a selection, from the bar above the list.
  await row(page, '低价促销').getByTestId('row-select').click();
  await page.getByTestId('bulk-bar').getByRole('button', { name: '举报垃圾邮件' }).click();
  await row(page, '低价促销').waitFor({ state: 'detached' });
  await row(page, '正常的信').waitFor();
  for (const subject of ['恭喜中奖', '低价促销']) {
    const found = await flagsOf(subject);
    assert.equal(found?.box, '\\Junk');
    assert.ok(found.flags.includes('$junk'), `${subject}: ${found.flags}`);
  }

  // In 垃圾邮件 the same menu says 不是垃圾邮件 and sends the message back.
  await openFolder(page, { role: 'junk' });
  await row(page, '恭喜中奖').click();
  await page.getByTestId('more').click();
  await page.getByTestId('spam').getByText('这不是垃圾邮件').waitFor();
  await screenshot(page, 'webmail-junk-zh-CN', false);
  await page.getByTestId('spam').click();
  await row(page, '恭喜中奖').waitFor({ state: 'detached' });
  const back = await flagsOf('恭喜中奖');
  assert.equal(back?.box, 'INBOX');
  assert.ok(back.flags.includes('$notjunk') && !back.flags.includes('$junk'), String(back.flags));

  await page.getByTestId('empty-folder').getByText('清空垃圾邮件').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('list-empty').waitFor();
  assert.equal(await flagsOf('低价促销'), null);
  await openFolder(page, { role: 'inbox' });
  await row(page, '恭喜中奖').waitFor();
  await context.close();
});
