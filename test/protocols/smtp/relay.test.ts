import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { authenticate, type DNSResolver } from 'mailauth';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { FakeClock } from '../../helpers/clock.ts';
import { relayTimeouts, retryMinutes } from '../../../src/mail/relayQueue.ts';
import { outboundRepo } from '../../../src/store/outboundRepo.ts';
import { postern } from '../../helpers/cli.ts';
import { testPostern } from '../../helpers/context.ts';
import { stubResolver, type DnsRecords } from '../../helpers/dns.ts';

/** A second, local smtp-server playing the outbound relay; `answer` decides how it replies to DATA. */
const received: { to: string[]; raw: string }[] = [];
let answer: 'ok' | 'temporary' | 'permanent' = 'ok';
const relayServer = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (answer === 'temporary') return callback(Object.assign(new Error('4.4.1 try later'), { responseCode: 451 }));
      if (answer === 'permanent') return callback(Object.assign(new Error('5.1.1 no such user at the far end'), { responseCode: 550 }));
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
      callback();
    });
  },
});

const clock = new FakeClock(Date.now());
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let alice: AccountRecord;
let password: string;
let relayUrl: string;

before(async () => {
  await new Promise<void>((r) => relayServer.listen(0, '127.0.0.1', r));
  const relayPort = (relayServer.server.address() as AddressInfo).port;
  relayUrl = `smtp://127.0.0.1:${relayPort}`;
  env = await testPostern({ clock }, { POSTERN_SMTP_RELAY_URL: relayUrl });
  ctx = env.ctx;
  alice = await ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  password = (await ctx.appPasswords.create(alice.id, 'Thunderbird')).password;
});
after(async () => {
  await env.cleanup();
  await new Promise<void>((r) => relayServer.close(() => r()));
});

async function submit(subject: string) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtps, secure: true, auth: { user: alice.address, pass: password }, tls: { rejectUnauthorized: false } });
  await transport.sendMail({ from: alice.address, to: ['carol@remote.test', 'alice@example.edu'], subject, text: 'hello' });
  transport.close();
  await ctx.relay.runDue();
}

const queued = () => outboundRepo(ctx.store).count();
const inboxSubjects = async () => (await ctx.mail.messages((await ctx.mail.specialMailbox(alice.id, 'INBOX')).id)).map((m) => m.subject);

test('M1 mail to another domain goes out through the relay; local recipients get it directly', async () => {
  await submit('去往外域');
  assert.equal(received.length, 1);
  assert.deepEqual(received[0].to, ['carol@remote.test']);
  assert.match(received[0].raw, /Subject: =\?UTF-8\?/);
  assert.equal(await queued(), 0);
  assert.ok((await inboxSubjects()).includes('去往外域'));
});

test('M1 a relay attempt ends (transport timeouts, then its deadline) before its claim does, so no two nodes send the same item at once', () => {
  const { connectionMs, greetingMs, socketMs, attemptMs, leaseMs } = relayTimeouts;
  assert.ok(connectionMs + greetingMs + socketMs < attemptMs && attemptMs < leaseMs);
});

test('a relay that answers 4xx is retried with backoff until it accepts', async () => {
  answer = 'temporary';
  await submit('retry me');
  assert.equal(await queued(), 1);
  clock.advance(30_000);
  await ctx.relay.runDue();
  assert.equal(received.length, 1, 'not retried before the backoff');
  answer = 'ok';
  clock.advance(retryMinutes[0] * 60_000);
  await ctx.relay.runDue();
  assert.equal(received.length, 2);
  assert.equal(await queued(), 0);
});

test('the sender gets a DSN bounce after a 5xx, and after the retries run out', async () => {
  answer = 'permanent';
  await submit('rejected far away');
  assert.equal(await queued(), 0);
  answer = 'temporary';
  await submit('never accepted');
  for (const minutes of retryMinutes) {
    clock.advance(minutes * 60_000 + 1000);
    await ctx.relay.runDue();
  }
  assert.equal(await queued(), 0);
  const inbox = await ctx.mail.specialMailbox(alice.id, 'INBOX');
  const bounces = (await ctx.mail.messages(inbox.id)).filter((m) => m.subject.startsWith('退信'));
  assert.equal(bounces.length, 2);
  const dsn = await simpleParser(await ctx.mail.read(bounces[0]), { keepDeliveryStatus: true });
  assert.match(dsn.text ?? '', /carol@remote\.test/);
  assert.match(dsn.text ?? '', /no such user at the far end/);
  assert.ok(dsn.attachments.some((a) => a.contentType === 'message/delivery-status'));
  answer = 'ok';
});

test('M6 relayed mail carries Ed25519 and RSA DKIM signatures that mailauth verifies with the records `postern domain dkim` printed', async () => {
  const printed = postern(['domain', 'dkim', 'example.edu'], { POSTERN_DATA_DIR: env.dir, POSTERN_SMTP_RELAY_URL: relayUrl });
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /^New DKIM keys for example\.edu/);
  const records: DnsRecords = {};
  for (const [, name, quoted] of printed.stdout.matchAll(/^(\S+)\. IN TXT (.+)$/gm)) {
    records[name] = { TXT: [[...quoted.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('')] };
  }
  assert.deepEqual(Object.keys(records).map((name) => name.replace(/\d{6}\./, 'YYYYMM.')), ['edYYYYMM._domainkey.example.edu', 'rsaYYYYMM._domainkey.example.edu', 'example.edu', '_dmarc.example.edu']);
  assert.match(String((records['example.edu'] as { TXT: string[] }).TXT[0]), /^v=spf1 mx ip4:127\.0\.0\.1 -all$/);
  const again = postern(['domain', 'dkim', 'example.edu'], { POSTERN_DATA_DIR: env.dir });
  assert.match(again.stdout, /^DKIM keys for example\.edu/, 'a second run prints the same keys');
  assert.equal(again.stdout.split('\n').filter((l) => l.includes('_domainkey')).join(), printed.stdout.split('\n').filter((l) => l.includes('_domainkey')).join());

  await submit('签名邮件 DKIM');
  const raw = Buffer.from(received.at(-1)!.raw);
  const auth = await authenticate(raw, { ip: '127.0.0.1', helo: 'relay.test', sender: alice.address, mta: 'receiver.test', resolver: stubResolver(records) as DNSResolver });
  assert.deepEqual(auth.dkim.results.map((r) => [r.status.result, r.algo, r.signingDomain, r.format]), [
    ['pass', 'ed25519-sha256', 'example.edu', 'relaxed/relaxed'],
    ['pass', 'rsa-sha256', 'example.edu', 'relaxed/relaxed'],
  ]);
  assert.equal(auth.dmarc && auth.dmarc.status.result, 'pass');
  const stored = await ctx.store.db.selectFrom('dkim_keys').select('sealed_private_key').execute();
  assert.ok(stored.every((k) => k.sealed_private_key.startsWith('v1.') && !k.sealed_private_key.includes('PRIVATE KEY')), 'private keys are sealed at rest');
});
