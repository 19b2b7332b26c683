import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { dkimSign } from 'mailauth';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { warmWorkers } from '../../../src/mail/workerPool.ts';
import { testPostern } from '../../helpers/context.ts';
import { stubResolver } from '../../helpers/dns.ts';

// An outside domain that signs its mail, and its DNS as the world would publish it.
const sender = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKey = sender.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const resolver = stubResolver({
  'sender.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] },
  'sel._domainkey.sender.test': { TXT: [`v=DKIM1; k=rsa; p=${publicKey}`] },
  '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
  'strict.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] },
  '_dmarc.strict.test': { TXT: ['v=DMARC1; p=reject'] },
  'quarantine.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] },
  '_dmarc.quarantine.test': { TXT: ['v=DMARC1; p=quarantine'] },
  'broken.test': 'fail',
});

let env: Awaited<ReturnType<typeof testPostern>>;
let bob: AccountRecord;

before(async () => {
  // The checks run in a worker, their DNS relayed to this resolver (a cold pool would do them here).
  await warmWorkers();
  env = await testPostern({ resolver });
  bob = await env.ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
});
after(() => env.cleanup());

/** Port 25 as an outside MTA uses it: no AUTH, the envelope and message as given. */
async function sendInbound(from: string, raw: string | Buffer): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtp, secure: false, ignoreTLS: true, name: 'mx.outside.test' });
  try {
    await transport.sendMail({ envelope: { from, to: 'bob@example.edu' }, raw });
  } finally {
    transport.close();
  }
}

const box = async (use: 'INBOX' | '\\Junk') => env.ctx.mail.messages((await env.ctx.mail.specialMailbox(bob.id, use)).id);
const newest = async (use: 'INBOX' | '\\Junk') => env.ctx.mail.read((await box(use)).at(-1)!);
const refusedWith = (code: number, pattern: RegExp) => (e: { responseCode?: number; response?: string }) => e.responseCode === code && pattern.test(e.response ?? '');

test('M6 port 25: "From: postmaster@<our domain>" from outside without our DKIM is refused with 550 5.7.1, in From and in MAIL FROM', async () => {
  const before = (await box('INBOX')).length;
  const phishing = 'From: 系统管理员 <postmaster@example.edu>\r\nTo: bob@example.edu\r\nSubject: 您的验证码 5WLC\r\n\r\n请把验证码告诉我们。\r\n';
  await assert.rejects(sendInbound('someone@other.test', phishing), refusedWith(550, /^550 5\.7\.1 Mail from our own domain/));
  await assert.rejects(sendInbound('postmaster@example.edu', 'From: someone@other.test\r\nSubject: x\r\n\r\nx\r\n'), refusedWith(550, /^550 5\.7\.1/));
  assert.equal((await box('INBOX')).length, before);
});

test('M6 port 25: a valid DKIM signature from an outside domain is delivered with dkim=pass and dmarc=pass, Return-Path and Received for <rcpt>', async () => {
  const message = [
    'From: 张老师 <teacher@sender.test>',
    'To: bob@example.edu',
    'Subject: 期末考试安排',
    'Date: Tue, 01 Dec 2026 09:00:00 +0800',
    'Message-ID: <exam-1@sender.test>',
    'Authentication-Results: localhost; dkim=pass header.d=example.edu; dmarc=pass',
    '',
    '考试在周五上午。',
    '',
  ].join('\r\n');
  const signed = await dkimSign(message, { signatureData: [{ signingDomain: 'sender.test', selector: 'sel', privateKey: sender.privateKey.export({ type: 'pkcs8', format: 'pem' }) }] } as Parameters<typeof dkimSign>[1]);
  assert.deepEqual(signed.errors, []);
  await sendInbound('teacher@sender.test', signed.signatures + message);
  const stored = await newest('INBOX');
  const parsed = await simpleParser(stored);
  assert.equal(parsed.subject, '期末考试安排');
  const results = [parsed.headers.get('authentication-results')].flat().map(String);
  assert.equal(results.length, 1, 'the forged Authentication-Results claiming our host is gone');
  assert.match(results[0], /^localhost;/);
  assert.match(results[0], /dkim=pass header\.i=@sender\.test header\.s=sel/);
  assert.match(results[0], /dmarc=pass/);
  assert.match(results[0], /spf=fail/);
  const head = stored.toString('latin1', 0, 2000);
  assert.match(head, /^Return-Path: <teacher@sender\.test>\r\n/);
  assert.match(head, /Received: from mx\.outside\.test \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(Postern\) with ESMTP id \w+\r\n\tfor <bob@example\.edu>;/);
});

test('M6 two messages on one connection each carry an id of their own in Received, after the connection\'s', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtp, secure: false, ignoreTLS: true, name: 'mx.outside.test', pool: true, maxConnections: 1 });
  try {
    for (const n of [1, 2]) await transport.sendMail({ envelope: { from: 'someone@elsewhere.test', to: 'bob@example.edu' }, raw: `From: someone@elsewhere.test\r\nSubject: same connection ${n}\r\n\r\nx\r\n` });
  } finally {
    transport.close();
  }
  const ids = [];
  for (const m of (await box('INBOX')).slice(-2)) ids.push(/with ESMTP id (\w+)/.exec((await env.ctx.mail.read(m)).toString('latin1', 0, 2000))![1]);
  assert.notEqual(ids[0], ids[1]);
  assert.equal(ids[0].replace(/T\d+$/, ''), ids[1].replace(/T\d+$/, ''), 'one connection');
});

test('M6 port 25: a DMARC p=reject failure is refused with 550 5.7.1; p=quarantine goes to Junk', async () => {
  const before = (await box('INBOX')).length;
  await assert.rejects(sendInbound('ceo@strict.test', 'From: ceo@strict.test\r\nSubject: 转账\r\n\r\nx\r\n'), refusedWith(550, /^550 5\.7\.1 Rejected by the sender domain's DMARC policy/));
  await sendInbound('news@quarantine.test', 'From: news@quarantine.test\r\nSubject: 促销\r\n\r\nx\r\n');
  assert.equal((await box('INBOX')).length, before);
  assert.equal((await simpleParser(await newest('\\Junk'))).subject, '促销');
});

test('M6 port 25: a DNS failure gives 451 4.4.3, never an accept-as-pass', async () => {
  const before = (await box('INBOX')).length + (await box('\\Junk')).length;
  await assert.rejects(sendInbound('someone@broken.test', 'From: someone@broken.test\r\nSubject: x\r\n\r\nx\r\n'), refusedWith(451, /^451 4\.4\.3/));
  assert.equal((await box('INBOX')).length + (await box('\\Junk')).length, before);
});
