import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import { submitMessage } from '../../../src/mail/submit.ts';
import type { AccountRecord } from '../../../src/core/ports.ts';
import { fakeTwoFactor, testPostern } from '../../helpers/context.ts';

let env: Awaited<ReturnType<typeof testPostern>>;
let alice: AccountRecord;
let bob: AccountRecord;
const operator = { ip: null, userAgent: null, operator: 'admin@example.edu' };

before(async () => {
  env = await testPostern({ twoFactor: fakeTwoFactor().state });
  alice = await env.ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  bob = await env.ctx.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  await env.ctx.admin.addAlias(alice, 'Sales@Example.edu', operator);
});
after(() => env.cleanup());

const inbox = async (account: AccountRecord) => env.ctx.mail.messages((await env.ctx.mail.specialMailbox(account.id, 'INBOX')).id);
const submission = (user: string, pass: string) =>
  nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtps, secure: true, auth: { user, pass }, tls: { rejectUnauthorized: false } });

test('X5 mail to an alias on port 25 lands in the account\'s Inbox', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: env.postern.smtp.ports.smtp, secure: false, ignoreTLS: true, name: 'mx.outside.test' });
  try {
    await transport.sendMail({ envelope: { from: 'buyer@outside.test', to: 'sales@example.edu' }, raw: 'From: buyer@outside.test\r\nTo: sales@example.edu\r\nSubject: 询价\r\n\r\n请报价。\r\n' });
    // The Inbox also holds the notice of the alias the admin added (X12), delivered by itself.
    const texts = await Promise.all((await inbox(alice)).map(async (m) => (await env.ctx.mail.read(m)).toString()));
    assert.equal(texts.filter((text) => /Subject: 询价/.test(text)).length, 1);
  } finally {
    transport.close();
  }
});

test('X5 the account sends as its alias by SMTP submission; another account gets 553 5.7.1', async () => {
  const asAlice = submission('alice@example.edu', 'alice main password');
  const asBob = submission('bob@example.edu', 'bob main password');
  try {
    const before = (await inbox(bob)).length;
    await asAlice.sendMail({ from: '销售部 <sales@example.edu>', to: 'bob@example.edu', subject: 'from the alias', text: 'ok' });
    assert.equal((await inbox(bob)).length, before + 1);
    await assert.rejects(
      asBob.sendMail({ from: 'sales@example.edu', to: 'alice@example.edu', subject: 'not his', text: 'x' }),
      (e: { responseCode?: number; response?: string }) => e.responseCode === 553 && /^553 5\.7\.1 <sales@example\.edu>/.test(e.response ?? ''),
    );
  } finally {
    asAlice.close();
    asBob.close();
  }
});

test('X5 JMAP and webmail submission (src/mail/submit.ts) follow the same alias rule', async () => {
  const { ctx } = env;
  const deps = { accounts: ctx.accounts.repo, mail: ctx.mail, relay: ctx.relay, log: ctx.log, autoReply: ctx.autoReply, sendingAddresses: (a: AccountRecord) => ctx.accounts.sendingAddresses(a) };
  const message = (from: string) => Buffer.from(`From: ${from}\r\nTo: bob@example.edu\r\nSubject: x\r\n\r\nx\r\n`);
  await submitMessage(deps, { account: alice, envelopeFrom: 'sales@example.edu', recipients: ['bob@example.edu'], message: message('sales@example.edu') });
  await assert.rejects(submitMessage(deps, { account: bob, envelopeFrom: 'bob@example.edu', recipients: ['alice@example.edu'], message: message('sales@example.edu') }), { code: 'sender_not_owned' });
  const identities = await ctx.accounts.sendingAddresses(alice);
  assert.deepEqual(identities, ['alice@example.edu', 'sales@example.edu']);
});

test('X5 an alias cannot take an account\'s address or another alias, and a removed alias stops delivering', async () => {
  await assert.rejects(env.ctx.admin.addAlias(bob, 'alice@example.edu', operator), { code: 'alias_exists' });
  await assert.rejects(env.ctx.admin.addAlias(bob, 'sales@example.edu', operator), { code: 'alias_exists' });
  await assert.rejects(env.ctx.admin.addAlias(bob, 'x@nowhere.test', operator), { code: 'unknown_domain' });
  await env.ctx.admin.addAlias(bob, 'temp@example.edu', operator);
  await env.ctx.admin.removeAlias(bob, 'temp@example.edu', operator);
  assert.equal(await env.ctx.accounts.repo.findRecipient('temp@example.edu'), undefined);
  const events = await env.ctx.audit.list(bob.id, 5);
  assert.deepEqual(events.slice(0, 2).map((e) => [e.type, e.detail.address, e.detail.operator]), [['alias_removed', 'temp@example.edu', 'admin@example.edu'], ['alias_added', 'temp@example.edu', 'admin@example.edu']]);
});
