import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type Context } from '../../src/context.ts';
import { postern } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-cli-admin-'));
const env = { POSTERN_DATA_DIR: dir, POSTERN_LANG: 'en' };
const address = 'dora@example.test';
const browser = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36' };
after(() => rmSync(dir, { recursive: true, force: true }));

/** The core on the same data dir as the spawned commands, closed after `fn`. */
async function withCore<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const json = (args: string[]) => {
  const r = postern([...args, '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

before(async () => {
  assert.equal(postern(['domain', 'add', 'example.test'], env).code, 0);
  assert.equal(postern(['user', 'add', address, '--password-stdin'], env, 'dora main password').code, 0);
  await withCore(async (ctx) => {
    const account = await ctx.accounts.get(address);
    const bind = await ctx.twoFactor.beginBind(account, 'totp', {}, browser, 'en');
    const secret = Secret.fromBase32((bind.display as { secret: string }).secret.replace(/ /g, ''));
    const code = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    const done = await ctx.twoFactor.check(account, await ctx.twoFactor.verifications.get(account.id, bind.verificationId), bind.factorId, code, browser, 'en');
    assert.equal(done.status, 'verified');
    await ctx.trustedDevices.trust(account.id, browser);
    for (let i = 0; i < 2; i++) await ctx.sessions.create(account.id, { ...browser, prevLoginAt: null, prevLoginIp: null });
    await ctx.appPasswords.create(account.id, 'Thunderbird');
  });
});

test('X5 user 2fa shows bound methods and the counts of trust, client passwords and sessions', () => {
  const view = json(['user', '2fa', address]);
  assert.equal(view.on, true);
  assert.deepEqual(view.methods.map((m: { kind: string }) => m.kind), ['totp']);
  assert.ok(!Number.isNaN(Date.parse(view.methods[0].boundAt)));
  assert.deepEqual([view.trustedDevices, view.appPasswords, view.sessions], [1, 1, 2]);
  assert.equal(view.recoveryCodesLeft, null, 'no recovery codes generated');
  const table = postern(['user', '2fa', address], env);
  assert.match(table.stdout, /two-step verification of dora@example\.test: on/);
  assert.match(table.stdout, /^totp/m);
});

test('X5 user sessions lists web sessions with IP and browser', () => {
  const sessions = json(['user', 'sessions', address]);
  assert.equal(sessions.length, 2);
  assert.deepEqual([sessions[0].ip, sessions[0].browser], ['203.0.113.9', 'Chrome 141 · Windows 10']);
  assert.ok(!Number.isNaN(Date.parse(sessions[0].created)) && !Number.isNaN(Date.parse(sessions[0].lastSeen)));
});

test('X5 reset-2fa refuses without --reason or --yes, in one line, and changes nothing', () => {
  const cases: [string[], RegExp][] = [
    [['user', 'reset-2fa', address, '--yes'], /--reason is required/],
    [['user', 'reset-2fa', address, '--reason', '  ', '--yes'], /--reason is required/],
    [['user', 'reset-2fa', address, '--reason', 'ticket 4711'], /--yes to confirm/],
    [['user', 'reset-2fa', 'ghost@example.test', '--reason', 'ticket 4711', '--yes'], /does not exist/],
    [['user', 'reset-2fa', address, '--reason', 'two\nlines', '--yes'], /one line/],
  ];
  for (const [args, message] of cases) {
    const r = postern(args, env);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(json(['user', '2fa', address]).on, true);
});

test('X5 reset-2fa turns 2FA off, ends trust, sessions and client passwords; audit shows the reason', () => {
  const r = postern(['user', 'reset-2fa', address, '--reason', 'ticket 4711, ID card checked', '--yes'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /is off: unbound totp, removed 1 trusted device\(s\), ended 2 web session\(s\), deleted 1 client-specific password\(s\)/);
  const view = json(['user', '2fa', address]);
  assert.deepEqual([view.on, view.methods, view.trustedDevices, view.appPasswords, view.sessions], [false, [], 0, 0, 0]);
  assert.deepEqual(json(['user', 'sessions', address]), []);

  const events = json(['audit', address, '--limit', '2']);
  assert.equal(events.length, 2);
  assert.equal(events[0].type, 'admin_reset_2fa');
  assert.equal(events[0].detail.note, 'ticket 4711, ID card checked');
  assert.equal(events[0].detail.operator, `${userInfo().username}@${hostname()}`, 'the operator (OS user and host) is recorded');
  assert.deepEqual([events[1].type, events[1].detail.reason], ['device_trust_removed_all', 'admin_reset_2fa']);
  const all = json(['audit', address]);
  assert.ok(all.some((e: { type: string }) => e.type === 'method_bound'));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].at >= all[i].at, 'newest first');
  assert.match(postern(['audit', address], env).stdout, /^at\s+type/);
});

test('X5 user signout ends every web session of the account', async () => {
  await withCore(async (ctx) => {
    const account = await ctx.accounts.get(address);
    await ctx.sessions.create(account.id, { ...browser, prevLoginAt: null, prevLoginIp: null });
  });
  assert.equal(json(['user', 'sessions', address]).length, 1);
  const r = postern(['user', 'signout', address], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ended 1 web session\(s\) of dora@example\.test/);
  assert.deepEqual(json(['user', 'sessions', address]), []);
  const [event] = json(['audit', address, '--limit', '1']);
  assert.deepEqual([event.type, event.detail.operator], ['signed_out_everywhere', `${userInfo().username}@${hostname()}`]);
});

test('audit: a bad --limit gives one line and exit 1', () => {
  for (const limit of ['0', 'ten', '1001']) {
    const r = postern(['audit', address, '--limit', limit], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`--limit ${limit}: must be a whole number`));
  }
});
