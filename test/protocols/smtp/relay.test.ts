import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { Context } from '../../../src/context.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { FakeClock } from '../../helpers/clock.ts';
import { retryMinutes } from '../../../src/mail/relayQueue.ts';
import { outboundRepo } from '../../../src/store/outboundRepo.ts';
import { testPostern } from '../../helpers/context.ts';

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

before(async () => {
  await new Promise<void>((r) => relayServer.listen(0, '127.0.0.1', r));
  const relayPort = (relayServer.server.address() as AddressInfo).port;
  env = await testPostern({ clock }, { POSTERN_SMTP_RELAY_URL: `smtp://127.0.0.1:${relayPort}` });
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
