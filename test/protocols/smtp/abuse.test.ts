import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { after, before, test } from 'node:test';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { startSmtp, type RunningSmtp } from '../../../src/protocols/smtp/index.ts';
import { smtpDeps } from '../../../src/server.ts';
import { loadTls } from '../../../src/tls.ts';
import { testContext } from '../../helpers/context.ts';
import { smtpClient } from '../../helpers/smtp.ts';

const maxBytes = 1_000_000;
let env: Awaited<ReturnType<typeof testContext>>;
let ctx: Context;
let smtp: RunningSmtp;
let bob: AccountRecord;

before(async () => {
  env = await testContext({}, { POSTERN_MAX_MESSAGE_BYTES: String(maxBytes), POSTERN_SMTP_PORT: '0', POSTERN_SUBMISSION_PORT: '0', POSTERN_SMTPS_PORT: '0' });
  ctx = env.ctx;
  smtp = await startSmtp({ ...smtpDeps(ctx, await loadTls(ctx.config)), socketTimeoutMs: 800 });
  bob = await ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
});
after(async () => {
  await smtp.close();
  await env.cleanup();
});

const stored = async () => (await ctx.mail.messages((await ctx.mail.specialMailbox(bob.id, 'INBOX')).id)).length;

/** The server still greets and accepts a normal message after whatever came before. */
async function stillServes(): Promise<void> {
  const before = await stored();
  const c = await smtpClient(smtp.ports.smtp);
  assert.match(await c.command('HELO ok.test'), /^250/);
  assert.match(await c.command('MAIL FROM:<a@other.test>'), /^250/);
  assert.match(await c.command('RCPT TO:<bob@example.edu>'), /^250/);
  assert.match(await c.command('DATA'), /^354/);
  assert.match(await c.command('Subject: fine\r\n\r\nfine\r\n.'), /^250/);
  c.close();
  assert.equal(await stored(), before + 1);
}

/** Opens a transaction to bob and sends `data` as the message, returning the reply to the final dot. */
async function sendData(data: Buffer | string): Promise<string> {
  const c = await smtpClient(smtp.ports.smtp);
  try {
    await c.command('EHLO abuse.test');
    await c.command('MAIL FROM:<a@other.test>');
    await c.command('RCPT TO:<bob@example.edu>');
    assert.match(await c.command('DATA'), /^354/);
    await c.send(data);
    await c.send('\r\n.\r\n');
    return await c.reply();
  } finally {
    c.close();
  }
}

test('malformed MIME, 8-bit headers and NUL bytes are stored as received, never crash the server', async () => {
  const before = await stored();
  const broken = 'Content-Type: multipart/mixed; boundary="unterminated\r\nSubject: =?UTF-8?B?broken==?=\r\n\r\n--unterminated\r\nContent-Type: text/plain; charset=no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!';
  assert.match(await sendData(broken), /^250/);
  assert.match(await sendData(Buffer.concat([Buffer.from('Subject: '), Buffer.from('八位标题', 'utf8'), Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), Buffer.from('\r\n\r\nbody')])), /^250/);
  assert.match(await sendData(Buffer.from('Subject: nul\0inside\r\nFrom: x\0@y\r\n\r\nbody\0with\0nuls')), /^250/);
  assert.equal(await stored(), before + 3);
  const messages = await ctx.mail.messages((await ctx.mail.specialMailbox(bob.id, 'INBOX')).id);
  assert.ok(messages.every((m) => !m.subject.includes('\0')));
  await stillServes();
});

test('a message over the size limit gets 552 5.3.4 and nothing is stored; EHLO announces the limit', async () => {
  const c = await smtpClient(smtp.ports.smtp);
  assert.match(await c.command('EHLO big.test'), new RegExp(`SIZE ${maxBytes}`));
  c.close();
  const before = await stored();
  assert.match(await sendData('Subject: big\r\n\r\n' + 'y'.repeat(maxBytes)), /^552 5\.3\.4/);
  assert.equal(await stored(), before);
  assert.match(await sendData('Subject: at the limit\r\n\r\n' + 'y'.repeat(maxBytes - 100)), /^250/, 'a message just under the limit is accepted with its trace headers');
  assert.equal(await stored(), before + 1);
  await stillServes();
});

test('a 10 MB line without CRLF: too long as a command (connection closed), too big as data (552)', async () => {
  const before = await stored();
  const c = await smtpClient(smtp.ports.smtp);
  await c.send('EHLO ' + 'a'.repeat(10 * 1024 * 1024));
  const r = await c.reply();
  assert.ok(r === '' || /^[45]\d\d/.test(r), r.slice(0, 80));
  c.close();
  assert.match(await sendData('Subject: long\r\n\r\n' + 'z'.repeat(10 * 1024 * 1024)), /^552/);
  assert.equal(await stored(), before);
  await stillServes();
});

test('a full mailbox refuses mail with 552 5.2.2, at RCPT when the declared SIZE does not fit, else at the end of DATA', async () => {
  const small = await ctx.accounts.create({ address: 'small@example.edu', password: 'small main password', quotaBytes: 2000 });
  const c = await smtpClient(smtp.ports.smtp);
  try {
    await c.command('EHLO quota.test');
    await c.command('MAIL FROM:<a@other.test> SIZE=5000');
    assert.match(await c.command('RCPT TO:<small@example.edu>'), /^552 5\.2\.2/);
    await c.command('RSET');
    await c.command('MAIL FROM:<a@other.test>');
    assert.match(await c.command('RCPT TO:<small@example.edu>'), /^250/);
    assert.match(await c.command('DATA'), /^354/);
    assert.match(await c.command(`Subject: big\r\n\r\n${'q'.repeat(3000)}\r\n.`), /^552 5\.2\.2/);
  } finally {
    c.close();
  }
  assert.equal((await ctx.mail.messages((await ctx.mail.specialMailbox(small.id, 'INBOX')).id)).length, 0);
});

test('submission refuses AUTH before STARTTLS with 538', async () => {
  const c = await smtpClient(smtp.ports.submission);
  try {
    await c.command('EHLO clear.test');
    assert.match(await c.command(`AUTH PLAIN ${Buffer.from('\0bob@example.edu\0bob main password').toString('base64')}`), /^538/);
  } finally {
    c.close();
  }
});

test('1,000 RCPTs: the first 100 are accepted, the rest get 452', async () => {
  for (let i = 0; i < 120; i++) {
    const address = `many${i}@example.edu`;
    await ctx.accounts.repo.insertAccount({ ...bob, id: `many${i}`, address, createdAt: new Date() });
  }
  const c = await smtpClient(smtp.ports.smtp);
  await c.command('EHLO many.test');
  await c.command('MAIL FROM:<a@other.test>');
  const lines = Array.from({ length: 1000 }, (_, i) => (i < 120 ? `RCPT TO:<many${i}@example.edu>` : `RCPT TO:<other${i}@example.edu>`));
  const replies: string[] = [];
  for (const line of lines) replies.push(await c.command(line));
  c.close();
  assert.ok(replies.slice(0, 100).every((r) => r.startsWith('250')));
  assert.ok(replies.slice(100).every((r) => r.startsWith('452')), replies[150]);
  await stillServes();
});

test('a client that never ends DATA is disconnected and leaves no partial message', async () => {
  const before = await stored();
  const c = await smtpClient(smtp.ports.smtp);
  await c.command('EHLO slow.test');
  await c.command('MAIL FROM:<a@other.test>');
  await c.command('RCPT TO:<bob@example.edu>');
  await c.command('DATA');
  await c.send('Subject: never ends\r\n\r\nhalf a message');
  const timeout = await c.reply();
  assert.ok(timeout === '' || timeout.startsWith('421'), timeout);
  assert.ok(c.closed || (await c.reply()) === '');
  assert.equal(await stored(), before);
  await stillServes();
});

test('a client that drops the connection in the middle of DATA leaves no partial message', async () => {
  const before = await stored();
  const c = await smtpClient(smtp.ports.smtp);
  await c.command('EHLO gone.test');
  await c.command('MAIL FROM:<a@other.test>');
  await c.command('RCPT TO:<bob@example.edu>');
  await c.command('DATA');
  await c.send('Subject: cut off\r\n\r\n' + 'half '.repeat(10_000));
  c.close();
  await stillServes();
  assert.equal(await stored(), before + 1, 'only the message of stillServes');
});

test('TLS handshake garbage on 465 and plain text on a TLS port close the connection; the server lives on', async () => {
  for (const garbage of [Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00]), Buffer.from('EHLO plain.test\r\n')]) {
    await new Promise<void>((resolve) => {
      const socket = connect(smtp.ports.smtps, '127.0.0.1', () => socket.end(garbage));
      socket.on('error', () => {});
      socket.on('close', () => resolve());
      socket.resume();
    });
  }
  const secure = tlsConnect({ port: smtp.ports.smtps, host: '127.0.0.1', rejectUnauthorized: false });
  const greeting = await new Promise<string>((r) => secure.once('data', (d) => r(d.toString())));
  secure.destroy();
  assert.match(greeting, /^220 /);
  await stillServes();
});
