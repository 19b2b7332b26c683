import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Context } from '../../src/context.ts';
import { fakeTwoFactor, testPostern } from '../helpers/context.ts';
import { RawClient } from '../helpers/rawClient.ts';

const twoFactor = fakeTwoFactor();
let env: Awaited<ReturnType<typeof testPostern>>;
let ctx: Context;
before(async () => {
  env = await testPostern({ twoFactor: twoFactor.state }, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '1', POSTERN_LOCKOUT_PER_IP: '30' });
  ctx = env.ctx;
});
after(() => env.cleanup());

async function imapLogin(from: string, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(env.postern.mailAccess.ports.imaps, true, from);
  try {
    await c.until(/^\* OK/m);
    const reply = await c.command('L', `LOGIN ${address} "${password}"`);
    if (/^L OK/m.test(reply)) assert.match(await c.command('S', 'STATUS INBOX (MESSAGES)'), /^S OK/m);
    return reply;
  } finally {
    c.close();
  }
}

async function pop3Login(from: string, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(env.postern.mailAccess.ports.pop3s, true, from);
  try {
    await c.until(/^\+OK/m);
    c.send(`USER ${address}\r\n`);
    await c.until(/^\+OK/m);
    c.send(`PASS ${password}\r\n`);
    return await c.until(/^[+-]/m);
  } finally {
    c.close();
  }
}

async function smtpLogin(from: string, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(env.postern.smtp.ports.smtps, true, from);
  try {
    await c.until(/^220 /m);
    c.send('EHLO phone.example\r\n');
    await c.until(/^250 /m);
    c.send(`AUTH PLAIN ${Buffer.from(`\0${address}\0${password}`).toString('base64')}\r\n`);
    return await c.until(/^\d{3} /m);
  } finally {
    c.close();
  }
}

test("X10 50 wrong passwords for alice from 20 addresses: her phone's client password still logs in over IMAP, POP3 and SMTP; a fresh address is throttled", async () => {
  const alice = await ctx.accounts.create({ address: 'alice@example.edu', password: 'alice main password' });
  twoFactor.on.add(alice.id);
  const phone = await ctx.appPasswords.create(alice.id, '手机 Outlook');
  for (let i = 0; i < 50; i++) {
    const from = `127.0.1.${(i % 20) + 1}`;
    const reply = i % 2 ? await imapLogin(from, alice.address, `guess ${i}`) : await pop3Login(from, alice.address, `guess ${i}`);
    assert.doesNotMatch(reply, /^(L OK|\+OK)/m);
  }
  assert.match(await imapLogin('127.0.1.3', alice.address, phone.password), /^L OK/m, 'even from an address that guessed');
  assert.match(await pop3Login('127.0.1.4', alice.address, phone.password), /^\+OK Maildrop/m);
  assert.match(await smtpLogin('127.0.1.5', alice.address, phone.password), /^235 /m);
  assert.match(await imapLogin('127.0.1.99', alice.address, 'one more guess'), /^L NO \[AUTHENTICATIONFAILED\] too many failures/m, 'a fresh address is throttled');
  assert.match(await smtpLogin('127.0.1.98', alice.address, 'one more guess'), /^454 4\.7\.0 too many failures/m);
});

test('X10 30 failures from one shared address (a campus NAT) do not refuse a correct client password from it', async () => {
  const carol = await ctx.accounts.create({ address: 'carol@example.edu', password: 'carol main password' });
  twoFactor.on.add(carol.id);
  const phone = await ctx.appPasswords.create(carol.id, 'iPhone');
  for (let i = 0; i < 31; i++) await ctx.authenticateClient({ protocol: 'imap', username: `student${i}@example.edu`, password: `guess ${i}`, remoteIp: '127.0.2.1' });
  assert.match(await imapLogin('127.0.2.1', carol.address, 'wrong again'), /too many failures/, 'the NAT address itself is throttled');
  assert.match(await imapLogin('127.0.2.1', carol.address, phone.password), /^L OK/m);
});
