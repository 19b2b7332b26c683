import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImapFlow } from 'imapflow';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { FakeClock } from '../helpers/clock.ts';
import { stubResolver } from '../helpers/dns.ts';
import { jmapHttp } from '../helpers/jmap.ts';
import { bindTotpOnPage, demo, e2eSuite, expectAccessible, loginAs, newContext, openTwoFactorPage, passwordStep, screenshot } from './harness.ts';
import { backToList, openFolder, openMail, row, sendBySmtp } from './webmail.ts';

const clock = new FakeClock(Date.now());
const e2e = e2eSuite({}, { clock, resolver: stubResolver({}) });
const alice = { address: 'alice@example.test', password: 'Alice-pass-2026!', displayName: 'Alice' };
const bob = { address: 'bob@example.test', password: 'Bob-pass-2026!', displayName: 'Bob' };
let totpSecret = '';

const code = () => {
  clock.advance(30_000);
  return new TOTP({ secret: Secret.fromBase32(totpSecret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() });
};

/** Step 1 and step 2 (the authenticator code) in the browser, then 邮件. */
async function loginWithTwoFactor(page: Page): Promise<void> {
  await passwordStep(page, e2e.server.url);
  await page.getByTestId('verify-code').fill(code());
  await page.getByTestId('verify-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
}

const words = {
  'zh-CN': { inbox: '收件箱', sent: '已发送', trash: '已删除', reply: '回复', re: 'Re:' },
  en: { inbox: 'Inbox', sent: 'Sent', trash: 'Trash', reply: 'Reply', re: 'Re:' },
};

test('M3 A1 C1 webmail in zh-CN and English, desktop and phone: log in with 2FA, read, reply with an attachment, Sent, the recipient\'s Inbox, search, move, delete, restore from Trash', async () => {
  const ctx = e2e.server.postern.ctx;
  await ctx.accounts.create(alice);
  // Two-step verification on, bound in the browser like a user does.
  const setup = await newContext(e2e.browser);
  const setupPage = await setup.newPage();
  await loginAs(setupPage, e2e.server.url);
  await openTwoFactorPage(setupPage, e2e.server.url);
  totpSecret = await bindTotpOnPage(setupPage, (key) => {
    totpSecret = key;
    return code();
  });
  await setup.close();

  for (const [lang, width, height] of [['zh-CN', 1280, 800], ['en', 1280, 800], ['zh-CN', 390, 844], ['en', 390, 844]] as const) {
    const w = words[lang];
    const layout = width < 600 ? 'phone' : 'desktop';
    const tag = `${lang}-${layout}`;
    const subject = `项目进度 ${tag}`;
    await sendBySmtp(e2e.server, alice, { to: demo.address, subject, text: `你好，\n请看 https://example.org/plan 的计划。\n${tag}`, messageId: `<orig-${tag}@example.test>` });

    const context = await newContext(e2e.browser, lang);
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginWithTwoFactor(page);
    if (lang === 'en') await page.getByText('English', { exact: true }).click();
    await openMail(page);
    await page.getByTestId('list-title').getByText(w.inbox).waitFor();
    await row(page, subject).waitFor();
    await screenshot(page, `webmail-inbox-${tag}`, false);

    // Read it: the text with its link made clickable, in the sandboxed frame.
    await row(page, subject).click();
    await page.getByTestId('reader-subject').getByText(subject).waitFor();
    const body = page.frameLocator('[data-testid="mail-frame"]');
    await body.getByText(tag).waitFor();
    assert.equal(await body.getByRole('link', { name: 'https://example.org/plan' }).getAttribute('rel'), 'noopener noreferrer');
    await screenshot(page, `webmail-read-${tag}`, false);

    // Reply with an attachment.
    await page.getByTestId('reply').click();
    await page.getByTestId('compose-subject').waitFor();
    assert.equal(await page.getByTestId('compose-subject').inputValue(), `${w.re} ${subject}`);
    // The cursor waits above the quote.
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'compose-body');
    await page.keyboard.type(`收到，谢谢 ${tag}`);
    await page.locator('input[type="file"]').setInputFiles({ name: `notes-${tag}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`attachment of ${tag}\n`) });
    await page.getByTestId('compose-attachment').getByText(`notes-${tag}.txt`).waitFor();
    await screenshot(page, `webmail-compose-${tag}`, false);
    await page.getByTestId('compose-send').click();
    await page.getByTestId('undo-send').waitFor();
    await page.getByTestId('pending-send').waitFor({ state: 'detached', timeout: 15_000 });

    // In 已发送, with its attachment.
    const reply = `${w.re} ${subject}`;
    await openFolder(page, { role: 'sent' });
    await page.getByTestId('list-title').getByText(w.sent).waitFor();
    await row(page, reply).click();
    await page.getByTestId('attachment-name').getByText(`notes-${tag}.txt`).waitFor();

    // And in the recipient's 收件箱, as an answer to the original.
    const aliceJmap = jmapHttp(e2e.server.url, alice.address, alice.password);
    const aliceId = (await ctx.accounts.get(alice.address)).id;
    const found = await aliceJmap.call([
      ['Email/query', { accountId: aliceId, filter: { subject: reply } }, 'q'],
      ['Email/get', { accountId: aliceId, '#ids': { resultOf: 'q', name: 'Email/query', path: '/ids' }, properties: ['mailboxIds', 'inReplyTo', 'references', 'hasAttachment', 'from'] }, 'g'],
    ]);
    const [received] = found.body.methodResponses[1][1].list;
    assert.deepEqual(received.inReplyTo, [`orig-${tag}@example.test`]);
    assert.ok(received.references.includes(`orig-${tag}@example.test`));
    assert.equal(received.hasAttachment, true);
    assert.equal(received.from[0].email, demo.address);
    const alicePage = await (await newContext(e2e.browser, lang)).newPage();
    await loginAs(alicePage, e2e.server.url, alice);
    await openMail(alicePage);
    await row(alicePage, reply).waitFor();
    await alicePage.context().close();

    // Search for it.
    await backToList(page);
    await page.getByTestId('search').fill(tag);
    await page.getByTestId('search').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === tag);
    await row(page, reply).waitFor();
    await screenshot(page, `webmail-search-${tag}`, false);

    // Move it to a new folder.
    const folder = `项目-${tag}`;
    if (layout === 'phone') await page.getByTestId('show-folders').click();
    await page.getByTestId('new-folder').click();
    await page.getByTestId('folder-name').fill(folder);
    await page.getByTestId('folder-name-ok').click();
    await page.locator(`[data-testid="folder"][data-name="${folder}"]`).waitFor();
    if (layout === 'phone') await page.goBack();
    await row(page, reply).click();
    await page.getByTestId('move').click();
    await page.getByRole('menuitem', { name: folder }).click();
    await openFolder(page, { name: folder });
    await row(page, reply).click();

    // Delete it (to Trash) and restore it from there.
    await page.getByTestId('delete').click();
    await openFolder(page, { role: 'trash' });
    await page.getByTestId('list-title').getByText(w.trash).waitFor();
    await row(page, reply).click();
    await page.getByTestId('move').click();
    await page.getByRole('menuitem', { name: folder }).click();
    await openFolder(page, { name: folder });
    await row(page, reply).waitFor();
    await screenshot(page, `webmail-restored-${tag}`, false);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('M3 M5 new mail delivered by SMTP and a flag set in an IMAP client show in the open list within 2 s, without reload', async () => {
  const ctx = e2e.server.postern.ctx;
  await ctx.accounts.create(bob);
  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  await loginAs(page, e2e.server.url, bob);
  await openMail(page);
  await page.getByTestId('list-empty').waitFor();
  const unread = page.locator('[data-testid="folder"][data-role="inbox"]').getByTestId('unread-count');

  await sendBySmtp(e2e.server, alice, { to: bob.address, subject: '推送测试', text: 'pushed' });
  const delivered = Date.now();
  await row(page, '推送测试').waitFor({ timeout: 2000 });
  const shownAfter = Date.now() - delivered;
  assert.equal(await unread.textContent(), '1');
  assert.equal(await row(page, '推送测试').getAttribute('data-unread'), 'true');

  const imap = new ImapFlow({ host: '127.0.0.1', port: ctx.config.ports.imaps, secure: true, tls: { rejectUnauthorized: false }, auth: { user: bob.address, pass: bob.password }, logger: false });
  await imap.connect();
  try {
    await imap.mailboxOpen('INBOX');
    const flagged = Date.now();
    await imap.messageFlagsAdd('1:*', ['\\Flagged', '\\Seen']);
    await row(page, '推送测试').getByTestId('row-star').waitFor({ timeout: 2000 });
    const flagShownAfter = Date.now() - flagged;
    await page.waitForFunction(() => !document.querySelector('[data-testid="message-row"][data-unread]'), undefined, { timeout: 2000 });
    await unread.waitFor({ state: 'detached', timeout: 2000 });
    console.log(`webmail push: new mail shown ${shownAfter} ms after SMTP 250, IMAP flag shown ${flagShownAfter} ms after STORE`);
  } finally {
    await imap.logout();
  }
  await expectAccessible(page, 'webmail-push');
  await context.close();
});
