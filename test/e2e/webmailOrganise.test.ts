import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eSuite, expectAccessible, loginAs, newContext, screenshot } from './harness.ts';
import { openFolder, openMail, row } from './webmail.ts';

const e2e = e2eSuite();
const olga = { address: 'olga@example.test', password: 'Olga-pass-2026!', displayName: 'Olga' };

test('M3 keyboard shortcuts, multi-select with shift-click, drag to a folder, folders made, renamed and deleted, Trash emptied', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(olga);
  for (let i = 1; i <= 5; i++) {
    await ctx.mail.deliver(account.id, Buffer.from(`From: Pat <pat@example.org>\r\nTo: ${olga.address}\r\nSubject: org-${i}\r\nDate: Tue, 1 Dec 2026 0${i}:00:00 +0800\r\n\r\nbody ${i}\r\n`));
    await new Promise((r) => setTimeout(r, 20));
  }
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await openMail(page);
  await row(page, 'org-5').waitFor();
  const subject = page.getByTestId('reader-subject');

  // j / k walk the list, s stars, e archives (into 归档, made on first use), # deletes.
  await page.keyboard.press('j');
  await subject.getByText('org-5').waitFor();
  await page.keyboard.press('j');
  await subject.getByText('org-4').waitFor();
  await page.keyboard.press('k');
  await subject.getByText('org-5').waitFor();
  await page.keyboard.press('s');
  await row(page, 'org-5').getByTestId('row-star').waitFor();
  await page.keyboard.press('e');
  await row(page, 'org-5').waitFor({ state: 'detached' });
  await page.locator('[data-testid="folder"][data-role="archive"]').waitFor();
  await subject.getByText('org-4').waitFor();
  await page.keyboard.press('#');
  await row(page, 'org-4').waitFor({ state: 'detached' });
  await page.keyboard.press('?');
  await page.getByRole('dialog').getByText('键盘快捷键').waitFor();
  await screenshot(page, 'webmail-shortcuts-zh-CN', false);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid), 'search');
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 300 } });

  // Shift-click selects the range; the bulk bar acts on all of it.
  await row(page, 'org-3').getByTestId('row-select').click();
  await row(page, 'org-1').getByTestId('row-select').click({ modifiers: ['Shift'] });
  await page.getByTestId('bulk-bar').getByText('已选择 3 封').waitFor();
  await screenshot(page, 'webmail-multiselect-zh-CN', false);
  await page.getByTestId('bulk-bar').getByRole('button', { name: '标为未读' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message-row"][data-unread]').length === 3);
  await page.locator('[data-testid="folder"][data-role="inbox"]').getByTestId('unread-count').getByText('3', { exact: true }).waitFor();

  // Drag one row onto 归档.
  await row(page, 'org-2').dragTo(page.locator('[data-testid="folder"][data-role="archive"]'));
  await row(page, 'org-2').waitFor({ state: 'detached' });
  await openFolder(page, { role: 'archive' });
  await row(page, 'org-2').waitFor();
  await row(page, 'org-5').waitFor();

  // A folder made, renamed and deleted.
  await page.getByTestId('new-folder').click();
  await page.getByTestId('folder-name').fill('临时');
  await page.getByTestId('folder-name-ok').click();
  const folder = (name: string) => page.locator(`[data-testid="folder"][data-name="${name}"]`);
  await folder('临时').getByTestId('folder-menu').click();
  await page.getByRole('menuitem', { name: '重命名' }).click();
  await page.getByTestId('folder-name').fill('项目');
  await page.getByTestId('folder-name-ok').click();
  await folder('项目').waitFor();
  // A folder inside it, listed under it; the parent is deleted only once it is empty of folders.
  await folder('项目').getByTestId('folder-menu').click();
  await page.getByRole('menuitem', { name: '新建子文件夹' }).click();
  await page.getByRole('dialog').getByText('在“项目”中新建文件夹').waitFor();
  await page.getByTestId('folder-name').fill('a/b');
  await page.getByTestId('folder-name-ok').click();
  await page.getByRole('dialog').getByText('无法使用这个名称：名称不能为空，也不能包含“/”。').waitFor();
  await page.getByTestId('folder-name').fill('子项');
  await page.getByTestId('folder-name-ok').click();
  await folder('子项').waitFor();
  await page.getByTestId('new-folder').click();
  await page.getByTestId('folder-name').fill('项目');
  await page.getByTestId('folder-name-ok').click();
  await page.getByRole('dialog').getByText('这里已有同名的文件夹。').waitFor();
  await page.keyboard.press('Escape');
  const names = await page.getByTestId('folder').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  assert.equal(names[names.indexOf('项目') + 1], '子项');
  await folder('项目').getByTestId('folder-menu').click();
  await page.getByRole('menuitem', { name: '删除文件夹' }).click();
  await page.getByTestId('confirm-ok').click();
  await page.getByText('“项目”中还有子文件夹：请先删除或移走它们。').waitFor();
  for (const name of ['子项', '项目']) {
    await folder(name).getByTestId('folder-menu').click();
    await page.getByRole('menuitem', { name: '删除文件夹' }).click();
    await page.getByTestId('confirm-ok').click();
    await folder(name).waitFor({ state: 'detached' });
  }

  // In Trash, delete is for good after a confirm; 清空已删除 empties it.
  await openFolder(page, { role: 'trash' });
  await row(page, 'org-4').click();
  await page.getByTestId('delete').click();
  await page.getByRole('dialog').getByText('彻底删除 1 封邮件？删除后无法恢复。').waitFor();
  await expectAccessible(page, 'webmail-delete-forever-zh-CN');
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('list-empty').waitFor();
  await openFolder(page, { role: 'inbox' });
  await row(page, 'org-1').getByTestId('row-select').click();
  await page.getByTestId('bulk-delete').click();
  await openFolder(page, { role: 'trash' });
  await row(page, 'org-1').waitFor();
  await page.getByTestId('empty-folder').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('list-empty').waitFor();
  await context.close();
});

test('M3 a delete the server answers late leaves alone the message opened meanwhile', async () => {
  const pia = { address: 'pia@example.test', password: 'Pia-pass-2026!x', displayName: 'Pia' };
  const account = await e2e.server.postern.ctx.accounts.create(pia);
  for (let i = 1; i <= 3; i++) {
    await e2e.server.postern.ctx.mail.deliver(account.id, Buffer.from(`From: Pat <pat@example.org>\r\nTo: ${pia.address}\r\nSubject: late-${i}\r\nDate: Tue, 1 Dec 2026 0${i}:00:00 +0800\r\n\r\nbody ${i}\r\n`));
  }
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, pia);
  await openMail(page);
  for (const subject of ['late-3', 'late-2']) {
    await row(page, subject).click();
    await row(page, subject).and(page.locator(':not([data-unread])')).waitFor();
  }
  // The move to Trash waits until late-3 is open.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let answered = () => {};
  const moved = new Promise<void>((resolve) => (answered = resolve));
  await page.route('**/jmap/api', async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('"Email/set"') || !body.includes('"mailboxIds"')) return route.continue();
    await held;
    await route.fulfill({ response: await route.fetch() });
    answered();
  });
  await page.getByTestId('delete').click();
  await row(page, 'late-3').click();
  await page.getByTestId('reader-subject').getByText('late-3').waitFor();
  release();
  await moved;
  await row(page, 'late-2').waitFor({ state: 'detached' });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  assert.equal(await page.getByTestId('reader-subject').textContent(), 'late-3');
  await context.close();
});

test('M3 attachments dropped and pasted, a draft that saves itself and opens again from 草稿箱, sending that waits 5 s for 撤销', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await openMail(page);
  await page.keyboard.press('c');
  await page.getByTestId('compose-subject').waitFor();
  await page.getByTestId('compose-to').fill(olga.address);
  await page.getByTestId('compose-to').press('Enter');
  await page.getByTestId('compose-subject').fill('草稿测试');
  await page.getByTestId('compose-body').click();
  await page.keyboard.type('写了一半');
  // Attachments dropped on the dialog and pasted into it, each uploaded with its progress.
  const files = (name: string) =>
    page.evaluateHandle((n) => {
      const dt = new DataTransfer();
      dt.items.add(new File([`content of ${n}`], n, { type: 'text/plain' }));
      return dt;
    }, name);
  await page.getByTestId('compose-subject').dispatchEvent('drop', { dataTransfer: await files('dropped.txt') });
  await page.getByTestId('compose-attachment').getByText('dropped.txt').waitFor();
  await page.getByTestId('compose-body').evaluate((el, dt) => el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })), await files('pasted.txt'));
  await page.getByTestId('compose-attachment').getByText('pasted.txt').waitFor();
  // Autosave: the draft is in 草稿箱 with $draft a few seconds later, without any click.
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.get(olga.address);
  const drafts = await ctx.mail.specialMailbox(account.id, '\\Drafts');
  for (let i = 0; i < 100 && (await ctx.mail.counts(drafts.id)).messages === 0; i++) await page.waitForTimeout(100);
  assert.equal((await ctx.mail.counts(drafts.id)).messages, 1);
  await page.getByTestId('compose-close').click();

  await openFolder(page, { role: 'drafts' });
  await row(page, '草稿测试').click();
  await page.getByTestId('compose-body').getByText('写了一半').waitFor();
  assert.deepEqual(await page.getByTestId('compose-attachment').allTextContents(), ['dropped.txt', 'pasted.txt']);
  await page.getByTestId('compose-send').click();
  await page.getByTestId('undo-send').click();
  // Undone: the message is back in the editor, nothing was sent.
  await page.getByTestId('compose-body').getByText('写了一半').waitFor();
  const inbox = await ctx.mail.specialMailbox(account.id, 'INBOX');
  const before = (await ctx.mail.counts(inbox.id)).messages;
  await page.getByTestId('compose-send').click();
  await page.getByTestId('pending-send').waitFor();
  await page.waitForTimeout(3000);
  assert.equal((await ctx.mail.counts(inbox.id)).messages, before, 'nothing sent inside the undo window');
  await page.getByTestId('pending-send').waitFor({ state: 'detached', timeout: 15_000 });
  await openFolder(page, { role: 'inbox' });
  await row(page, '草稿测试').waitFor();
  await openFolder(page, { role: 'drafts' });
  await page.getByTestId('list-empty').waitFor();
  await openFolder(page, { role: 'sent' });
  await row(page, '草稿测试').waitFor();
  await context.close();
});

test('M3 A1 邮箱设置 behind the gear: sender name, signature and vacation reply kept on the server, used when writing', async () => {
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, olga);
  await page.getByTestId('gear').click();
  await page.getByTestId('settings-name').waitFor();
  await page.getByTestId('settings-name').fill('Olga Petrova');
  await page.getByTestId('settings-signature').fill('Olga Petrova\n数据中心');
  await page.getByTestId('settings-vacation').check();
  await page.getByTestId('settings-vacation-body').fill('我在休假，12 月 10 日回来。');
  await page.getByTestId('settings-conversations').check();
  await screenshot(page, 'webmail-settings-zh-CN');
  await page.getByTestId('settings-save').click();
  await page.getByText('邮箱设置已保存。').waitFor();

  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.get(olga.address);
  const [identity] = await ctx.mailSettings.identities(account);
  assert.equal(identity.name, 'Olga Petrova');
  assert.equal(identity.textSignature, 'Olga Petrova\n数据中心');

  await page.reload();
  await page.getByTestId('settings-vacation-body').waitFor();
  assert.equal(await page.getByTestId('settings-vacation-body').inputValue(), '我在休假，12 月 10 日回来。');
  assert.equal(await page.getByTestId('settings-conversations').isChecked(), true);

  // The shortcut works once the mail page is there, not while it loads.
  await openMail(page);
  await page.keyboard.press('c');
  await page.getByTestId('compose-body').getByText('数据中心').waitFor();
  assert.match((await page.getByTestId('compose-from').inputValue()) ?? '', /^Olga Petrova </);
  await context.close();
});
