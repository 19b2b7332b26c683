import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Audit } from '../../src/core/audit.ts';
import type { AccountRecord, AccountRepo, AuditEvent } from '../../src/core/ports.ts';
import { FakeClock } from '../helpers/clock.ts';
import { memorySideEffects } from '../helpers/sideEffects.ts';
import { SecurityNotices } from '../../src/core/securityNotices.ts';
import type { OutgoingMail } from '../../src/core/messagePorts.ts';
import { renderSecurityNotice } from '../../src/mail/templates/securityNotice.ts';

const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const account = { id: 'a1', address: 'test001@example.edu', displayName: 'test001', language: 'en' } as AccountRecord;

/** Notices over an in-memory audit, with recorded deliveries and captured log lines. */
function kit(options: { backup?: string; twoFactorOn?: boolean; failLocal?: boolean; failOut?: boolean } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 8));
  const events: AuditEvent[] = [];
  const inbox: OutgoingMail[] = [];
  const sent: OutgoingMail[] = [];
  const logLines: { msg: string; level: number }[] = [];
  const log = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { logLines.push(JSON.parse(String(chunk))); done(); } }));
  const { effects } = memorySideEffects(clock, log);
  const audit = new Audit({
    insert: async (e) => void events.unshift(e),
    get: async (id) => events.find((e) => e.id === id),
    list: async (_id, limit, before) => events.filter((e) => !before || e.id < before.id).slice(0, limit),
    recentSignIns: async () => { throw new Error('notices do not read the history'); },
  }, clock, { effects });
  const notices = new SecurityNotices({
    accounts: { findById: async (id: string) => (id === account.id ? account : undefined) } as AccountRepo,
    audit,
    effects,
    backupEmail: async () => options.backup ?? null,
    twoFactorOn: async () => options.twoFactorOn ?? true,
    deliverLocal: async (_id, mail) => { if (options.failLocal) throw new Error('quota'); inbox.push(mail); },
    mailOut: { send: async (mail) => { if (options.failOut) throw new Error('relay down'); sent.push(mail); } },
    render: renderSecurityNotice,
    log,
    timeZone: 'Asia/Shanghai',
    publicUrl: 'https://mail.example.edu/',
    help: { phone: '', email: 'help@example.edu' },
  });
  const record = async (...args: Parameters<Audit['record']>) => {
    await audit.record(...args);
    clock.advance(1000);
    await notices.settled();
  };
  return { record, inbox, sent, logLines, effects, clock, options };
}

test('X4 removing the last method says two-step verification is off; removing one of several says which was removed', async () => {
  const off = kit({ twoFactorOn: false });
  await off.record('a1', 'method_unbound', { ip: '203.0.113.7', userAgent: chrome }, { method: 'totp' });
  assert.equal(off.inbox[0].subject, '[Security notice] Two-step verification of your mailbox was turned off');
  assert.ok(off.inbox[0].text.includes('(Third-party OTP)'));
  assert.ok(off.inbox[0].text.includes('Security settings: https://mail.example.edu/settings/security'), 'no double slash');
  const still = kit({ twoFactorOn: true });
  await still.record('a1', 'method_unbound', { ip: null, userAgent: null }, { method: 'sms' });
  assert.equal(still.inbox[0].subject, '[Security notice] A verification method was removed from your mailbox');
});

test('X4 X5 a help-desk reset of two-step verification is noticed', async () => {
  const k = kit();
  await k.record('a1', 'admin_reset_2fa', { ip: null, userAgent: null }, { note: 'ticket 42', methods: 'totp' });
  assert.equal(k.inbox[0].subject, '[Security notice] Two-step verification of your mailbox was reset by an administrator');
  assert.ok(!k.inbox[0].text.includes('ticket 42'), 'the administrators\' note stays in the audit log');
});

test('X4 the main password change is noticed, also at the backup address; other events are not', async () => {
  const k = kit({ backup: 'backup@qq.com' });
  await k.record('a1', 'password_changed', { ip: '203.0.113.7', userAgent: chrome });
  for (const type of ['login_failed', 'device_trusted', 'app_password_deleted', 'second_factor_failed'] as const) await k.record('a1', type, { ip: '203.0.113.7', userAgent: chrome });
  await k.record(null, 'login_failed', { ip: '203.0.113.7', userAgent: chrome });
  assert.deepEqual(k.inbox.map((m) => [m.to, m.subject]), [['test001@example.edu', '[Security notice] The password of your mailbox was changed']]);
  assert.deepEqual(k.sent.map((m) => [m.to, m.from]), [['backup@qq.com', 'postmaster@example.edu']]);
});

test('X4 a sign-in has a notice, to the INBOX and the backup address, only when the login flow found its device new', async () => {
  const k = kit({ backup: 'backup@qq.com' });
  const written: string[][] = [];
  const add = k.effects.add.bind(k.effects);
  k.effects.add = async (items) => {
    written.push(items.map((i) => i.kind));
    return add(items);
  };
  await k.record('a1', 'login_succeeded', { ip: '203.0.113.7', userAgent: chrome }, { secondFactor: false });
  await k.record('a1', 'login_succeeded', { ip: '198.51.100.1', userAgent: chrome }, { secondFactor: false, trustedDevice: true });
  assert.equal(k.inbox.length, 0);
  assert.deepEqual(written, [], 'a known device writes no side effects');
  await k.record('a1', 'login_succeeded', { ip: '198.51.100.2', userAgent: chrome }, { secondFactor: true, newDevice: true });
  assert.deepEqual(k.inbox.map((m) => m.subject), ['[Security notice] New sign-in to your mailbox']);
  assert.deepEqual(k.sent.map((m) => [m.to, m.subject]), [['backup@qq.com', '[Security notice] New sign-in to your mailbox']]);
  assert.deepEqual(written, [['notice_inbox', 'notice_backup']]);
});

test('X4 O1 failed deliveries are logged, never thrown, retried, and one failing channel does not stop the other', async () => {
  const k = kit({ backup: 'backup@qq.com', failLocal: true });
  await k.record('a1', 'method_bound', { ip: '203.0.113.7', userAgent: chrome }, { method: 'backupEmail' });
  assert.equal(k.sent.length, 1, 'the backup address still gets it');
  assert.deepEqual(k.logLines.map((l) => l.msg), ['side effect not sent; will retry']);
  k.options.failLocal = false;
  k.clock.advance(61_000);
  await k.effects.runDue();
  assert.equal(k.inbox.length, 1, 'the retry a minute later delivers it');
  assert.equal(k.sent.length, 1, 'and does not send the other copy again');
  const out = kit({ backup: 'backup@qq.com', failOut: true });
  await out.record('a1', 'app_password_created', { ip: '203.0.113.7', userAgent: chrome }, { name: 'iPad' });
  assert.equal(out.inbox.length, 1, 'the INBOX still gets it');
  assert.deepEqual(out.logLines.map((l) => l.msg), ['side effect not sent; will retry']);
  assert.ok(!JSON.stringify(out.logLines).includes('backup@qq.com'), 'the log does not carry the address');
  for (let i = 0; i < 6; i++) {
    out.clock.advance(5 * 60 * 60_000);
    await out.effects.runDue();
  }
  assert.equal(out.logLines.at(-1)!.msg, 'side effect given up', 'after its last retry the notice is given up, and says so');
  assert.equal(await out.effects.pending(), 0);
});
