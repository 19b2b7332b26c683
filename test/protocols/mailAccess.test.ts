import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { Context } from '../../src/context.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { fakeTwoFactor, testPostern } from '../helpers/context.ts';
import { RawClient } from '../helpers/rawClient.ts';

const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let alice: AccountRecord;
let bob: AccountRecord;
let aliceApp: string;

before(async () => {
  env = await testPostern({ twoFactor: twoFactor.state }, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
  ctx = env.ctx;
  alice = await ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  bob = await ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  aliceApp = (await ctx.appPasswords.create(alice.id, '手机 Outlook')).password;
});
after(() => env.cleanup());

const ports = () => env.postern.mailAccess.ports;

function submit(subject: string, text: string) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: env.postern.smtp.ports.smtps,
    secure: true,
    tls: { rejectUnauthorized: false },
    auth: { user: 'alice@example.edu', pass: aliceApp },
  });
  return transport.sendMail({ from: 'alice@example.edu', to: 'bob@example.edu', subject, text });
}

async function imap(user: string, pass: string): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port: ports().imaps, secure: true, tls: { rejectUnauthorized: false }, auth: { user, pass }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

/** RETR over a raw POP3S connection, un-dot-stuffed: the bytes the client ends up with. */
async function popRetr(user: string, pass: string, n: number): Promise<Buffer> {
  const c = await RawClient.connect(ports().pop3s, true);
  c.socket.setEncoding('latin1');
  await c.until(/^\+OK/m);
  c.send(`USER ${user}\r\n`);
  await c.until(/^\+OK/m);
  c.send(`PASS ${pass}\r\n`);
  await c.until(/^\+OK Maildrop/m);
  c.send(`RETR ${n}\r\n`);
  const text = await c.until(/\r\n\.\r\n/);
  c.send('QUIT\r\n');
  const body = text.slice(text.indexOf('\r\n') + 2, -3).replace(/(^|\n)\.\./g, '$1.');
  return Buffer.from(body, 'latin1');
}

test('M2 a message submitted over SMTP is byte-identical via IMAP BODY[] and POP3 RETR', async () => {
  await submit('字节一致 test', '第一行\n.starts with a dot\n最后一行');
  const inbox = await ctx.mail.specialMailbox(bob.id, 'INBOX');
  const stored = await ctx.mail.read((await ctx.mail.messages(inbox.id)).at(-1)!);
  const client = await imap('bob@example.edu', 'bob main password');
  try {
    await client.mailboxOpen('INBOX');
    const fetched = await client.fetchOne('*', { source: true, envelope: true, bodyStructure: true });
    assert.ok(fetched);
    assert.ok(fetched.source!.equals(stored), 'IMAP BODY[] equals the stored bytes');
    assert.equal(fetched.envelope!.subject, '字节一致 test');
    assert.equal(fetched.bodyStructure!.type, 'text/plain');
  } finally {
    await client.logout();
  }
  const retrieved = await popRetr('bob@example.edu', 'bob main password', 1);
  assert.ok(retrieved.equals(stored), 'POP3 RETR equals the stored bytes');
});

test('M2 IMAP IDLE is notified of an SMTP delivery within 1 s', async () => {
  const client = await imap('bob@example.edu', 'bob main password');
  try {
    const box = await client.mailboxOpen('INBOX');
    const before = box.exists;
    const idle = client.idle();
    const exists = once(client, 'exists');
    await submit('IDLE wake-up', 'ping');
    const sent = Date.now();
    const [event] = await exists;
    assert.ok(Date.now() - sent < 1000, `notified after ${Date.now() - sent} ms`);
    assert.equal(event.count, before + 1);
    await client.noop();
    await idle;
  } finally {
    await client.logout();
  }
});

test('E1 E4 with 2FA on, IMAP and POP3 refuse the main password with the client-password text and accept the app password', async () => {
  twoFactor.on.add(alice.id);
  try {
    const c = await RawClient.connect(ports().imaps, true);
    await c.until(/^\* OK/m);
    assert.match(await c.command('A1', 'LOGIN alice@example.edu "alice main password"'), /^A1 NO \[AUTHENTICATIONFAILED\] use a client-specific password\r\n/m);
    assert.match(await c.command('A2', `LOGIN alice@example.edu "${aliceApp}"`), /^A2 OK/m);
    assert.match(await c.command('A3', 'SELECT INBOX'), /^A3 OK \[READ-WRITE\]/m);
    c.close();
    const p = await RawClient.connect(ports().pop3s, true);
    await p.until(/^\+OK/m);
    p.send('USER alice@example.edu\r\nPASS alice main password\r\n');
    assert.match(await p.until(/^-ERR/m), /-ERR \[AUTH\] use a client-specific password\r\n/);
    p.send(`USER alice@example.edu\r\nPASS ${aliceApp}\r\n`);
    assert.match(await p.until(/^\+OK Maildrop/m), /Maildrop has \d+ messages/);
    p.close();
  } finally {
    twoFactor.on.delete(alice.id);
  }
  const c = await RawClient.connect(ports().imaps, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('A1', 'LOGIN alice@example.edu "alice main password"'), /^A1 OK/m, 'E4: 2FA off, the main password works');
  c.close();
});

test('M2 mail store backend: folders, APPEND, COPY/MOVE, EXPUNGE and POP3 deletions reach other sessions', async () => {
  const a = await imap('bob@example.edu', 'bob main password');
  const b = await imap('bob@example.edu', 'bob main password');
  try {
    await a.mailboxCreate('项目/二〇二六');
    const list = (await a.list()).map((m) => `${m.path}:${m.specialUse ?? ''}`);
    assert.ok(list.includes('项目/二〇二六:') && list.includes('已发送:\\Sent'), list.join(','));
    const appended = await a.append('项目/二〇二六', Buffer.from('Subject: kept\r\n\r\nbody\r\n'), ['\\Flagged'], new Date('2026-01-02T03:04:05Z'));
    assert.ok(appended && appended.uid === 1);
    await a.mailboxOpen('项目/二〇二六');
    await b.mailboxOpen('项目/二〇二六');
    const moved = await a.messageMove('1', 'INBOX');
    assert.ok(moved && moved.uidMap!.size === 1);
    const expunge = once(b, 'expunge');
    await b.noop();
    await expunge;
    assert.equal(b.mailbox && b.mailbox.exists, 0);
    await b.mailboxOpen('INBOX');
    const count = b.mailbox ? b.mailbox.exists : 0;
    const c = await RawClient.connect(ports().pop3s, true);
    await c.until(/^\+OK/m);
    c.send('USER bob@example.edu\r\nPASS bob main password\r\nDELE 1\r\nQUIT\r\n');
    await c.until(/^\+OK Bye/m);
    const gone = once(b, 'expunge');
    await b.noop();
    await gone;
    assert.equal(b.mailbox && b.mailbox.exists, count - 1);
  } finally {
    await Promise.all([a.logout(), b.logout()]);
  }
});

test('M2 Sent keeps one copy: Thunderbird submits over SMTP, then APPENDs its copy to Sent and gets the filed UID', async () => {
  const raw = Buffer.from(`From: alice@example.edu\r\nTo: bob@example.edu\r\nSubject: one copy\r\nMessage-ID: <tb-${Date.now()}@example.edu>\r\nDate: ${new Date().toUTCString()}\r\n\r\nhello\r\n`);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtps, secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice@example.edu', pass: aliceApp } });
  await transport.sendMail({ envelope: { from: 'alice@example.edu', to: ['bob@example.edu'] }, raw });
  const client = await imap('alice@example.edu', aliceApp);
  const sent = (await client.list()).find((b) => b.specialUse === '\\Sent')!;
  const count = async () => ((await client.status(sent.path, { messages: true })) as { messages?: number }).messages;
  const before = await count();
  const appended = await client.append(sent.path, raw, ['\\Seen']);
  assert.equal(await count(), before, 'no second copy');
  await client.mailboxOpen(sent.path);
  const filed = await client.fetchOne('*', { uid: true, envelope: true }, { uid: false });
  assert.ok(filed && appended);
  assert.equal(appended.uid, filed.uid, 'APPENDUID names the copy the server filed');
  assert.equal(filed.envelope!.subject, 'one copy');
  const other = await client.append(sent.path, Buffer.from(raw.toString().replace('Message-ID: <tb-', 'Message-ID: <other-')), ['\\Seen']);
  assert.ok(other && other.uid! > filed.uid, 'a message the server did not file is stored');
  await client.logout();
});
