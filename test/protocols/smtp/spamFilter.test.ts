import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { testPostern } from '../../helpers/context.ts';
import { rspamdMissing, startRspamd } from '../../helpers/rspamd.ts';

const gtube = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
let rspamd: Awaited<ReturnType<typeof startRspamd>> | undefined;
let env: Awaited<ReturnType<typeof testPostern>>;
let bob: AccountRecord;

before(async () => {
  if (rspamdMissing) return;
  rspamd = await startRspamd();
  env = await testPostern({}, { POSTERN_RSPAMD_URL: rspamd.url });
  bob = await env.ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
});
after(async () => {
  await env?.cleanup();
  await rspamd?.stop();
});

async function sendInbound(port: number, subject: string, body: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mx.outside.test' });
  try {
    await transport.sendMail({ envelope: { from: 'someone@outside.test', to: 'bob@example.edu' }, raw: `From: Someone <someone@outside.test>\r\nTo: bob@example.edu\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Date.now()}.${Math.random()}@outside.test>\r\nX-Spam-Status: No, forged by the sender\r\n\r\n${body}\r\n` });
  } finally {
    transport.close();
  }
}

async function newest(use: 'INBOX' | '\\Junk') {
  const messages = await env.ctx.mail.messages((await env.ctx.mail.specialMailbox(bob.id, use)).id);
  const last = messages.at(-1);
  return last && { subject: last.subject, head: (await env.ctx.mail.read(last)).toString('latin1', 0, 3000) };
}

test('M6 with rspamd: clean mail to INBOX, "add header" to Junk, "reject" gets 550; rspamd down: delivered and marked untested', { skip: rspamdMissing }, async () => {
  const port = env.postern.smtp.ports.smtp;
  await sendInbound(port, 'hello', 'an ordinary message');
  const clean = await newest('INBOX');
  assert.equal(clean?.subject, 'hello');
  assert.match(clean!.head, /^X-Spam-Status: No, score=-?[\d.]+ required=[\d.]+ action=no action\r$/m);
  assert.doesNotMatch(clean!.head, /forged by the sender/);

  await sendInbound(port, 'SPAM-TEST cheap watches', 'buy now');
  const junk = await newest('\\Junk');
  assert.equal(junk?.subject, 'SPAM-TEST cheap watches');
  assert.match(junk!.head, /^X-Spam-Status: Yes, .*action=add header\r$/m);

  await assert.rejects(sendInbound(port, 'gtube', gtube), (e: { responseCode?: number; response?: string }) => e.responseCode === 550 && /^550 5\.7\.1 Message looks like spam/.test(e.response ?? ''));
  assert.equal((await newest('INBOX'))?.subject, 'hello');

  await rspamd!.stop();
  await sendInbound(port, 'while rspamd is down', 'x');
  const untested = await newest('INBOX');
  assert.equal(untested?.subject, 'while rspamd is down');
  assert.match(untested!.head, /^X-Spam-Status: Untested/m);
});

test('M6 with POSTERN_RSPAMD_DOWN=defer an unreachable rspamd gives 451 4.7.1', { skip: rspamdMissing }, async () => {
  const deferring = await testPostern({}, { POSTERN_RSPAMD_URL: 'http://127.0.0.1:9', POSTERN_RSPAMD_DOWN: 'defer' });
  try {
    await deferring.ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
    await assert.rejects(sendInbound(deferring.postern.smtp.ports.smtp, 'x', 'x'), (e: { responseCode?: number; response?: string }) => e.responseCode === 451 && /^451 4\.7\.1/.test(e.response ?? ''));
  } finally {
    await deferring.cleanup();
  }
});
