import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { resetTwoFactor } from '../../src/core/helpDesk.ts';
import type { AccountRecord } from '../../src/core/ports.ts';
import { fakeTwoFactor, testPostern, twoNodes } from '../helpers/context.ts';
import { RawClient } from '../helpers/rawClient.ts';

const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
let n = 0;
before(async () => {
  env = await testPostern({ twoFactor: twoFactor.state }, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
  ctx = env.ctx;
});
after(() => env.cleanup());

const request = { ip: null, userAgent: null };

async function newAccount(on = true): Promise<AccountRecord> {
  const account = await ctx.accounts.create({ address: `rev${n++}@example.edu`, password: 'a long test passphrase' });
  if (on) twoFactor.on.add(account.id);
  return account;
}

async function imapIdle(port: number, address: string, password: string): Promise<RawClient> {
  const c = await RawClient.connect(port, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('L', `LOGIN ${address} "${password}"`), /^L OK/m);
  assert.match(await c.command('S', 'SELECT INBOX'), /^S OK/m);
  c.send('I IDLE\r\n');
  await c.until(/^\+ idling/m);
  return c;
}

async function pop3(port: number, address: string, password: string): Promise<RawClient> {
  const c = await RawClient.connect(port, true);
  await c.until(/^\+OK/m);
  c.send(`USER ${address}\r\n`);
  await c.until(/^\+OK/m);
  c.send(`PASS ${password}\r\n`);
  await c.until(/^\+OK Maildrop/m);
  return c;
}

/** Resolves with what the server said last once it closed the connection, or fails after `ms`. */
async function endsWithin(c: RawClient, ms: number, pattern: RegExp): Promise<string> {
  const started = Date.now();
  const said = await c.until(pattern, ms);
  await c.waitClosed(ms);
  assert.ok(Date.now() - started < ms, `took ${Date.now() - started} ms`);
  return said;
}

test('X9 deleting a client password ends the IMAP IDLE and POP3 sessions logged in with it within 5 s; another password keeps its session', async () => {
  const account = await newAccount();
  const phone = await ctx.appPasswords.create(account.id, '手机 Outlook');
  const laptop = await ctx.appPasswords.create(account.id, 'Thunderbird');
  const ports = env.postern.mailAccess.ports;
  const idle = await imapIdle(ports.imaps, account.address, phone.password);
  const pop = await pop3(ports.pop3s, account.address, phone.password);
  const other = await imapIdle(ports.imaps, account.address, laptop.password);

  await ctx.appPasswords.remove(account.id, phone.record.id);
  const bye = await endsWithin(idle, 5000, /^\* BYE .*/m);
  assert.equal(bye, '* BYE the client-specific password of this connection was deleted; disconnected\r\n');
  assert.match(await endsWithin(pop, 5000, /^-ERR .*/m), /-ERR \[AUTH\] the client-specific password of this connection was deleted/);

  other.send('DONE\r\n');
  await other.until(/^I OK/m);
  assert.match(await other.command('T', 'STATUS INBOX (MESSAGES)'), /^T OK/m, 'the other client password keeps its session');
  other.close();
});

test('X9 an SMTP submission session logged in with a deleted client password is ended with 421', async () => {
  const account = await newAccount();
  const app = await ctx.appPasswords.create(account.id, 'Foxmail');
  const c = await RawClient.connect(env.postern.smtp.ports.smtps, true);
  await c.until(/^220 /m);
  c.send('EHLO client.example\r\n');
  await c.until(/^250 /m);
  c.send(`AUTH PLAIN ${Buffer.from(`\0${account.address}\0${app.password}`).toString('base64')}\r\n`);
  await c.until(/^235 /m);
  await ctx.appPasswords.remove(account.id, app.record.id);
  assert.match(await endsWithin(c, 5000, /^421 .*/m), /421 4\.7\.0 the client-specific password of this connection was deleted/);
});

test('X9 a password change ends the IMAP session logged in with the main password (2FA off), not the client-password ones', async () => {
  const account = await newAccount(false);
  const app = await ctx.appPasswords.create(account.id, 'iPad');
  const ports = env.postern.mailAccess.ports;
  const main = await imapIdle(ports.imaps, account.address, 'a long test passphrase');
  const client = await imapIdle(ports.imaps, account.address, app.password);
  await ctx.accounts.changePassword(account, 'Another-long-pass-2026!', request);
  assert.match(await endsWithin(main, 5000, /^\* BYE .*/m), /the account password was changed/);
  client.send('DONE\r\n');
  await client.until(/^I OK/m);
  client.close();
});

test('X9 a password change that also deletes the client passwords (the password may have leaked) ends their sessions too', async () => {
  const account = await newAccount();
  const app = await ctx.appPasswords.create(account.id, 'Foxmail');
  const session = await imapIdle(env.postern.mailAccess.ports.imaps, account.address, app.password);
  const done = await ctx.accounts.changePassword(account, 'Another-long-pass-2026!', request, undefined, { deleteAppPasswords: true });
  assert.equal(done.appPasswords, 1);
  assert.match(await endsWithin(session, 5000, /^\* BYE .*/m), /the account password was changed/);
  assert.equal((await ctx.authenticateClient({ protocol: 'imap', username: account.address, password: app.password, remoteIp: '127.0.0.1' })).ok, false);
});

test('X9 disabling the account and the help desk reset end every matching session', async () => {
  const ports = env.postern.mailAccess.ports;
  const disabled = await newAccount();
  const a = await ctx.appPasswords.create(disabled.id, 'phone');
  const s1 = await imapIdle(ports.imaps, disabled.address, a.password);
  await ctx.accounts.setDisabled(disabled, true);
  assert.match(await endsWithin(s1, 5000, /^\* BYE .*/m), /the account was disabled/);

  const reset = await newAccount();
  const b = await ctx.appPasswords.create(reset.id, 'phone');
  const s2 = await pop3(ports.pop3s, reset.address, b.password);
  await resetTwoFactor(ctx, reset.id, { note: 'ticket 1, ID checked' }, request);
  assert.match(await endsWithin(s2, 5000, /^-ERR .*/m), /client-specific password of this connection was deleted|reset the account's two-step verification/);
});

test('X9 across two nodes over Redis: deleting a client password on node B ends the IMAP IDLE and POP3 sessions on node A within 5 s', async () => {
  const { nodeA, nodeB, cleanup } = await twoNodes();
  try {
    const account = await nodeB.ctx.accounts.create({ address: 'twonodes@example.edu', password: 'a long test passphrase' });
    const app = await nodeB.ctx.appPasswords.create(account.id, '手机 Outlook');
    const ports = nodeA.postern.mailAccess.ports;
    const idle = await imapIdle(ports.imaps, account.address, app.password);
    const pop = await pop3(ports.pop3s, account.address, app.password);
    await nodeB.ctx.appPasswords.remove(account.id, app.record.id);
    assert.match(await endsWithin(idle, 5000, /^\* BYE .*/m), /client-specific password of this connection was deleted/);
    assert.match(await endsWithin(pop, 5000, /^-ERR .*/m), /client-specific password of this connection was deleted/);
  } finally {
    await cleanup();
  }
});
