import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { demo, stepUpOverHttp, testWeb, type TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
let accountId: string;
/** The demo account's signed-in browser, from the first test on. */
let owner: TestBrowser;
before(async () => {
  web = await testWeb();
  accountId = (await web.ctx.accounts.get(demo.address)).id;
});
after(() => web.close());

const firefoxMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Subjects of the notices in the demo account's INBOX, oldest first, once every started notice is done. */
async function inboxSubjects(): Promise<string[]> {
  await web.ctx.notices.settled();
  const inbox = await web.ctx.mail.mailbox(accountId, 'INBOX');
  return (await web.ctx.mail.messages(inbox.id)).map((m) => m.subject ?? '');
}

test('X4 binding TOTP puts a notice in the INBOX; a client password, with a backup email bound, also goes to the backup address', async () => {
  const b = web.browser();
  owner = b;
  assert.equal((await b.login()).json().status, 'ok');
  assert.deepEqual(await inboxSubjects(), [], 'the first sign-in of an account has nothing to compare with');
  const bind = (await b.request('POST', '/api/2fa/bind', { kind: 'totp' })).json();
  const secret = bind.display.secret.replace(/ /g, '');
  const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: web.clock.now().getTime() });
  assert.equal((await b.request('POST', `/api/2fa/verifications/${bind.verificationId}/check`, { factorId: bind.factorId, code })).json().status, 'verified');
  assert.deepEqual(await inboxSubjects(), ['【安全提醒】您的邮箱绑定了新的二次验证方式']);
  const inbox = await web.ctx.mail.mailbox(accountId, 'INBOX');
  const [stored] = await web.ctx.mail.messages(inbox.id);
  const raw = (await web.ctx.mail.read(stored)).toString();
  assert.match(raw, /^From: postmaster@example\.test/m);
  assert.match(raw, /^To: test001@example\.test/m);
  assert.match(raw, /^Message-ID: </im);

  web.clock.advance(61_000);
  await stepUpOverHttp(web, b, secret);
  const backup = (await b.request('POST', '/api/2fa/bind', { kind: 'backupEmail', input: { address: 'backup.box@qq.com' } })).json();
  const [codeMail] = await web.ctx.outbox.list({ to: 'backup.box@qq.com', limit: 1 });
  const mailed = /^([A-Z0-9]{4})$/m.exec(codeMail.text)![1];
  assert.equal((await b.request('POST', `/api/2fa/verifications/${backup.verificationId}/check`, { factorId: backup.factorId, code: mailed })).json().status, 'verified');
  assert.deepEqual(await inboxSubjects(), ['【安全提醒】您的邮箱绑定了新的二次验证方式', '【安全提醒】您的邮箱绑定了新的二次验证方式']);
  const [boundNotice] = await web.ctx.outbox.list({ to: 'backup.box@qq.com', limit: 1 });
  assert.ok(boundNotice.text.includes('刚刚绑定了二次验证方式：备用邮箱。'), 'the newly bound backup address hears of it too');
  assert.equal((await b.request('POST', '/api/app-passwords', { name: '<b>手机</b> Outlook' })).statusCode, 200);
  assert.equal((await inboxSubjects()).at(-1), '【安全提醒】您的邮箱生成了客户端专用密码');
  const [notice] = await web.ctx.outbox.list({ to: 'backup.box@qq.com', limit: 1 });
  assert.equal(notice.subject, '【安全提醒】您的邮箱生成了客户端专用密码');
  assert.equal(notice.from, 'postmaster@example.test');
  assert.ok(notice.text.includes('您的邮箱 test****@example.test 刚刚生成了客户端专用密码“<b>手机</b> Outlook”。'));
  assert.ok(notice.html!.includes('&lt;b&gt;手机&lt;/b&gt; Outlook'));
  assert.ok(notice.text.includes('安全设置: http://localhost:') && notice.text.includes('/settings/security'));
  assert.ok(notice.text.includes('如需帮助，请联系：023-65111500, mail@example.test'));
});

test('X4 a sign-in from a new device (no trusted browser, another IP or browser) sends a notice; the same device again does not', async () => {
  // An account without 2FA, so that every sign-in is one step.
  const address = 'notice2@example.test';
  await web.ctx.accounts.create({ address, password: demo.password, displayName: 'notice2' });
  const id = (await web.ctx.accounts.get(address)).id;
  const messages = async () => {
    await web.ctx.notices.settled();
    return web.ctx.mail.messages((await web.ctx.mail.mailbox(id, 'INBOX')).id);
  };
  const login = async (ip: string, ua?: string) => {
    const b = web.browser(ip);
    await b.open();
    const res = await b.request('POST', '/api/login', { address, password: demo.password }, ua ? { 'user-agent': ua } : {});
    assert.equal(res.json().status, 'ok', res.body);
  };
  await login('127.0.0.1');
  await login('127.0.0.1');
  assert.deepEqual(await messages(), [], 'first sign-in and the same device again: no notice');
  await login('202.202.1.123');
  assert.deepEqual((await messages()).map((m) => m.subject), ['【安全提醒】您的邮箱在新设备上登录']);
  await login('202.202.1.123');
  assert.equal((await messages()).length, 1, 'the same device again sends nothing');
  await login('202.202.1.123', firefoxMac);
  const all = await messages();
  assert.equal(all.length, 2, 'another browser from the same IP is a new device');
  const raw = (await web.ctx.mail.read(all[1])).toString();
  assert.ok(raw.includes('text/html') && raw.includes('text/plain'), 'HTML and text parts');
});

test('X4 a failing mail-out and a full mailbox do not fail the action; the notice is only given up', async () => {
  const b = owner;
  const inboxBefore = (await inboxSubjects()).length;
  const outboxBefore = (await web.ctx.outbox.list({ to: 'backup.box@qq.com' })).length;
  const send = web.ctx.mailOut.send;
  web.ctx.mailOut.send = async () => {
    throw new Error('relay down');
  };
  await web.ctx.accounts.repo.update(accountId, { quotaBytes: 1 }, web.clock.now());
  try {
    const created = await b.request('POST', '/api/app-passwords', { name: 'Thunderbird' });
    assert.equal(created.statusCode, 200, created.body);
    assert.equal((await inboxSubjects()).length, inboxBefore);
  } finally {
    web.ctx.mailOut.send = send;
  }
  assert.equal((await web.ctx.outbox.list({ to: 'backup.box@qq.com' })).length, outboxBefore);
  const names = (await b.request('GET', '/api/app-passwords')).json().appPasswords.map((p: { name: string }) => p.name);
  assert.ok(names.includes('Thunderbird'));
});
