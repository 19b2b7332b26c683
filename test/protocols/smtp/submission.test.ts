import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { fakeTwoFactor, testPostern } from '../../helpers/context.ts';
import { pythonSend, smtpClient } from '../../helpers/smtp.ts';

const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let alice: AccountRecord;
let bob: AccountRecord;
let appPassword: string;
const attachment = randomBytes(200 * 1024);
let attachmentFile: string;

before(async () => {
  env = await testPostern({ twoFactor: twoFactor.state });
  ctx = env.ctx;
  alice = await ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  bob = await ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  appPassword = (await ctx.appPasswords.create(alice.id, '手机 Outlook')).password;
  attachmentFile = join(env.dir, 'attachment.bin');
  writeFileSync(attachmentFile, attachment);
});
after(() => env.cleanup());

/** The newest message of a mailbox, parsed. */
async function newest(account: AccountRecord, box: 'INBOX' | '\\Sent') {
  const mailbox = await ctx.mail.specialMailbox(account.id, box);
  const messages = await ctx.mail.messages(mailbox.id);
  const last = messages.at(-1)!;
  return { record: last, parsed: await simpleParser(await ctx.mail.read(last)) };
}

async function assertDelivered(subject: string) {
  for (const [account, box] of [[bob, 'INBOX'], [alice, '\\Sent']] as const) {
    const { record, parsed } = await newest(account, box);
    assert.equal(parsed.subject, subject);
    assert.equal(record.subject, subject);
    assert.ok(parsed.attachments[0].content.equals(attachment), 'the 200 KB attachment is byte-exact');
    assert.ok(parsed.messageId, 'Message-ID present');
    assert.match(String(parsed.headers.get('received')), /by localhost \(Postern\) with ESMTPS?A/);
    if (box === '\\Sent') assert.deepEqual(record.flags, ['\\Seen']);
  }
}

const ports = () => env.postern.smtp.ports;

for (const mode of ['starttls', 'ssl'] as const) {
  test(`M1 Python smtplib submits with an app password over ${mode === 'ssl' ? '465 (implicit TLS)' : '587 STARTTLS'}: INBOX and Sent, Chinese subject, attachment intact`, async () => {
    const subject = `季度报告 ${mode} — 测试`;
    const r = await pythonSend({
      port: mode === 'ssl' ? ports().smtps : ports().submission,
      mode,
      user: 'alice@example.edu',
      password: appPassword,
      from: 'Alice 爱丽丝 <alice@example.edu>',
      to: 'bob@example.edu',
      subject,
      attachment: attachmentFile,
    });
    assert.deepEqual(r, { ok: true });
    await assertDelivered(subject);
  });

  test(`M1 nodemailer submits with an app password over ${mode === 'ssl' ? '465' : '587 STARTTLS'}`, async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: mode === 'ssl' ? ports().smtps : ports().submission,
      secure: mode === 'ssl',
      requireTLS: mode !== 'ssl',
      auth: { user: 'alice@example.edu', pass: appPassword.replaceAll(' ', '') },
      tls: { rejectUnauthorized: false },
    });
    const subject = `nodemailer ${mode} 你好`;
    await transport.sendMail({ from: 'alice@example.edu', to: 'bob@example.edu', subject, text: '正文', attachments: [{ filename: '数据.bin', content: attachment }] });
    transport.close();
    await assertDelivered(subject);
  });
}

test('E1 with 2FA on the main password gets "535 5.7.8 use a client-specific password", in ASCII as SMTP requires', async () => {
  twoFactor.on.add(alice.id);
  try {
    const r = await pythonSend({ port: ports().submission, mode: 'starttls', user: 'alice@example.edu', password: 'alice main password', from: 'alice@example.edu', to: 'bob@example.edu', subject: 'x' });
    assert.deepEqual(r, { ok: false, code: 535, message: '5.7.8 use a client-specific password' });
    const ok = await pythonSend({ port: ports().smtps, mode: 'ssl', user: 'alice@example.edu', password: appPassword, from: 'alice@example.edu', to: 'bob@example.edu', subject: '2FA on, app password' });
    assert.deepEqual(ok, { ok: true });
  } finally {
    twoFactor.on.delete(alice.id);
  }
});

test('X3 an app password scoped to IMAP is refused for SMTP; a deleted app password fails at once', async () => {
  twoFactor.on.add(alice.id);
  try {
    const imapOnly = await ctx.appPasswords.create(alice.id, 'iPad 邮件', ['imap']);
    const r = await pythonSend({ port: ports().submission, mode: 'starttls', user: 'alice@example.edu', password: imapOnly.password, from: 'alice@example.edu', to: 'bob@example.edu', subject: 'x' });
    assert.equal(r.code, 535);
    assert.match(r.message!, /not allowed for this protocol/);
    const temp = await ctx.appPasswords.create(alice.id, 'temporary');
    await ctx.appPasswords.remove(alice.id, temp.record.id);
    const gone = await pythonSend({ port: ports().smtps, mode: 'ssl', user: 'alice@example.edu', password: temp.password, from: 'alice@example.edu', to: 'bob@example.edu', subject: 'x' });
    assert.deepEqual([gone.code, gone.message], [535, '5.7.8 invalid username or password']);
  } finally {
    twoFactor.on.delete(alice.id);
  }
});

test('submission: the envelope sender must be the authenticated account; unknown local users, and other domains without a relay, are refused', async () => {
  const c = await smtpClient(ports().submission);
  try {
    assert.match(await c.command('EHLO client.test'), /250[- ]SIZE 26214400/);
    assert.match(await c.command('MAIL FROM:<alice@example.edu>'), /^530/, 'AUTH first');
  } finally {
    c.close();
  }
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports().smtps, secure: true, auth: { user: 'alice@example.edu', pass: appPassword }, tls: { rejectUnauthorized: false } });
  await assert.rejects(transport.sendMail({ envelope: { from: 'bob@example.edu', to: 'bob@example.edu' }, raw: 'Subject: spoof\r\n\r\nx\r\n' }), (e: { responseCode?: number }) => e.responseCode === 553);
  await assert.rejects(transport.sendMail({ from: 'alice@example.edu', to: 'nobody@example.edu', text: 'x' }), (e: { responseCode?: number; response?: string }) => e.responseCode === 550 && /5\.1\.1/.test(e.response ?? ''));
  await assert.rejects(transport.sendMail({ from: 'alice@example.edu', to: 'someone@remote.test', text: 'x' }), (e: { responseCode?: number; response?: string }) => e.responseCode === 550 && /5\.7\.1 Outbound mail is not configured/.test(e.response ?? ''));
  transport.close();
});

test('inbound: mail for a served domain is delivered without AUTH; relaying and unknown users are refused', async () => {
  const c = await smtpClient(ports().smtp);
  try {
    assert.match(await c.command('EHLO mx.other.test'), /^250/);
    assert.match(await c.command('MAIL FROM:<someone@other.test>'), /^250/);
    assert.match(await c.command('RCPT TO:<elsewhere@other.test>'), /^554 5\.7\.1/);
    assert.match(await c.command('RCPT TO:<ghost@example.edu>'), /^550 5\.1\.1/);
    assert.match(await c.command('RCPT TO:<BOB@example.edu>'), /^250/);
    assert.match(await c.command('DATA'), /^354/);
    assert.match(await c.command('Subject: =?GB2312?B?suLK1A==?=\r\nFrom: someone@other.test\r\n\r\nhello\r\n.'), /^250/);
  } finally {
    c.close();
  }
  const { record } = await newest(bob, 'INBOX');
  assert.equal(record.subject, '测试');
});
