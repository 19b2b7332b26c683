import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { fakeTwoFactor, testPostern } from '../../helpers/context.ts';
import { smtpClient, startTls } from '../../helpers/smtp.ts';

let env: Awaited<ReturnType<typeof testPostern>>;
let alice: AccountRecord;
let president: AccountRecord;

before(async () => {
  env = await testPostern({ twoFactor: fakeTwoFactor().state });
  alice = await env.ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  president = await env.ctx.accounts.create({ address: 'president@example.edu', password: 'president main password' });
});
after(() => env.cleanup());

const ports = () => env.postern.smtp.ports;
const inbox = async (account: AccountRecord) => env.ctx.mail.messages((await env.ctx.mail.specialMailbox(account.id, 'INBOX')).id);

function aliceTransport() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: ports().smtps, secure: true, auth: { user: 'alice@example.edu', pass: 'alice main password' }, tls: { rejectUnauthorized: false } });
}

const refused = (pattern: RegExp) => (e: { responseCode?: number; response?: string }) => e.responseCode === 553 && pattern.test(e.response ?? '');

test('M6 a signed-in user cannot send with From: or Sender: of another account: 553 5.7.1, nothing delivered', async () => {
  const transport = aliceTransport();
  try {
    const before = (await inbox(president)).length;
    await assert.rejects(
      transport.sendMail({ envelope: { from: 'alice@example.edu', to: 'president@example.edu' }, raw: 'From: 校长 <president@example.edu>\r\nTo: president@example.edu\r\nSubject: 紧急：请核对验证码\r\n\r\nx\r\n' }),
      refused(/^553 5\.7\.1 <president@example\.edu> is not an address of the authenticated account/),
    );
    await assert.rejects(
      transport.sendMail({ envelope: { from: 'alice@example.edu', to: 'president@example.edu' }, raw: 'From: alice@example.edu\r\nSender: president@example.edu\r\nSubject: x\r\n\r\nx\r\n' }),
      refused(/^553 5\.7\.1 <president@example\.edu>/),
    );
    await assert.rejects(
      transport.sendMail({ envelope: { from: 'alice@example.edu', to: 'president@example.edu' }, raw: 'From: alice@example.edu, president@example.edu\r\nSubject: x\r\n\r\nx\r\n' }),
      refused(/^553 5\.7\.1 <president@example\.edu>/),
    );
    await assert.rejects(transport.sendMail({ envelope: { from: 'president@example.edu', to: 'president@example.edu' }, raw: 'From: alice@example.edu\r\n\r\nx\r\n' }), refused(/^553 5\.7\.1/));
    assert.equal((await inbox(president)).length, before);
    const alicesSent = await env.ctx.mail.messages((await env.ctx.mail.specialMailbox(alice.id, '\\Sent')).id);
    assert.equal(alicesSent.length, 0, 'a refused message leaves no Sent copy');
    await transport.sendMail({ from: '爱丽丝 <ALICE@example.edu>', to: 'president@example.edu', subject: 'own address, any case', text: 'ok' });
    assert.equal((await inbox(president)).length, before + 1);
  } finally {
    transport.close();
  }
});

test('M1 587 before STARTTLS lists no AUTH; after it AUTH PLAIN LOGIN; ENHANCEDSTATUSCODES, no DSN, one banner word', async () => {
  const plain = await smtpClient(ports().submission);
  try {
    const ehlo = await plain.command('EHLO client.test');
    assert.doesNotMatch(ehlo, /AUTH/);
    assert.match(ehlo, /^250-STARTTLS$/m);
    assert.match(ehlo, /^250-ENHANCEDSTATUSCODES$/m);
    assert.doesNotMatch(ehlo, /DSN|CHUNKING/);
    assert.match(await plain.command('MAIL FROM:<alice@example.edu>'), /^530 5\.7\.0 Authentication required/);
    const secure = await startTls(plain);
    const again = await secure.command('EHLO client.test');
    assert.match(again, /^250-AUTH PLAIN LOGIN$/m);
    assert.doesNotMatch(again, /STARTTLS/);
    secure.close();
  } finally {
    plain.close();
  }
  const inbound = await smtpClient(ports().smtp);
  try {
    assert.doesNotMatch(await inbound.command('EHLO mx.other.test'), /AUTH/);
  } finally {
    inbound.close();
  }
});

test('M1 every reply carries one enhanced status code; DSN parameters are refused with 555 5.5.4', async () => {
  const c = await smtpClient(ports().smtp);
  try {
    await c.command('EHLO mx.other.test');
    assert.match(await c.command('MAIL FROM:<someone@other.test> RET=HDRS'), /^555 5\.5\.4 RET is not supported/);
    assert.match(await c.command('MAIL FROM:<someone@other.test> ENVID=abc'), /^555 5\.5\.4 ENVID/);
    assert.equal(await c.command('MAIL FROM:<someone@other.test>'), '250 2.1.0 Accepted');
    assert.match(await c.command('RCPT TO:<alice@example.edu> NOTIFY=FAILURE'), /^555 5\.5\.4 NOTIFY/);
    assert.match(await c.command('RCPT TO:<alice@example.edu> ORCPT=rfc822;alice@example.edu'), /^555 5\.5\.4 ORCPT/);
    assert.equal(await c.command('RCPT TO:<ghost@example.edu>'), '550 5.1.1 No such user here');
    assert.equal(await c.command('RCPT TO:<alice@example.edu>'), '250 2.1.5 Accepted');
    assert.match(await c.command('BDAT 10 LAST'), /^500 5\.5\.2/);
    assert.equal(await c.command('RSET'), '250 2.0.0 Flushed');
  } finally {
    c.close();
  }
});

test('M1 the greeting names the server once: "220 <host> ESMTP Postern"', async () => {
  const socket = connect(ports().smtp, '127.0.0.1');
  const greeting = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
  socket.destroy();
  assert.equal(greeting.trimEnd(), '220 localhost ESMTP Postern');
});
