import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { createContext } from '../../../src/context.ts';
import { posternServe } from '../../helpers/cli.ts';
import { withPostgresDatabase } from '../../helpers/db.ts';
import { smtpClient } from '../../helpers/smtp.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** One connection sending messages back to back; every message answered 250 is recorded. */
async function sender(port: number, acked: Map<string, Buffer>, stop: () => boolean): Promise<void> {
  const c = await smtpClient(port).catch(() => undefined);
  if (!c) return;
  try {
    if (!(await c.command('EHLO burst.test')).startsWith('250')) return;
    while (!stop() && !c.closed) {
      const token = randomBytes(8).toString('hex');
      const body = randomBytes(12_000).toString('base64').replace(/.{76}/g, '$&\r\n');
      const message = Buffer.from(`From: burst@other.test\r\nTo: bob@example.edu\r\nSubject: ${token}\r\n\r\n${body}\r\n`);
      if (!(await c.command('MAIL FROM:<burst@other.test>')).startsWith('250')) return;
      if (!(await c.command('RCPT TO:<bob@example.edu>')).startsWith('250')) return;
      if (!(await c.command('DATA')).startsWith('354')) return;
      await c.send(Buffer.concat([message, Buffer.from('.\r\n')]));
      if ((await c.reply()).startsWith('250')) acked.set(token, message);
    }
  } finally {
    c.close();
  }
}

async function killDuringBurst(env: Record<string, string>) {
  const dir = env.POSTERN_DATA_DIR;
  const setup = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
  await setup.accounts.addDomain('example.edu');
  const bob = await setup.accounts.create({ address: 'bob@example.edu', password: 'bob main password' });
  await setup.close();

  const port = await freePort();
  const serveEnv = { ...env, POSTERN_SMTP_PORT: String(port), POSTERN_WEB_PORT: '0' };
  const first = await posternServe(serveEnv);
  assert.equal(first.code, null, first.output());
  const acked = new Map<string, Buffer>();
  let killed = false;
  const exited = new Promise((r) => first.child.on('exit', r));
  const senders = Array.from({ length: 4 }, () => sender(port, acked, () => killed));
  while (acked.size < 30) await new Promise((r) => setTimeout(r, 20));
  first.child.kill('SIGKILL');
  killed = true;
  await exited;
  await Promise.all(senders);

  const second = await posternServe(serveEnv);
  assert.equal(second.code, null, `restarts after the kill: ${second.output()}`);
  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.on('exit', r));

  const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
  try {
    const inbox = await ctx.mail.specialMailbox(bob.id, 'INBOX');
    const stored = new Map<string, Buffer>();
    for (const m of await ctx.mail.messages(inbox.id)) stored.set(m.subject, await ctx.mail.read(m));
    const uids = await ctx.mail.uids(inbox.id);
    assert.deepEqual(uids, [...uids].sort((a, b) => a - b));
    for (const [token, sent] of acked) {
      const raw = stored.get(token);
      assert.ok(raw, `message ${token} was answered 250 and must be in the store`);
      assert.ok(raw.subarray(raw.length - sent.length).equals(sent), `message ${token} is byte-intact`);
    }
    return { acked: acked.size, stored: stored.size };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('M4 every message answered 250 survives SIGKILL', () => {
  test('M4 SQLite with file blobs: kill during a burst, restart, all acknowledged mail is there and intact', async () => {
    const r = await killDuringBurst({ POSTERN_DATA_DIR: mkdtempSync(join(tmpdir(), 'postern-kill-')) });
    assert.ok(r.stored >= r.acked);
  });

  test('M4 PostgreSQL with database blobs: kill during a burst, restart, all acknowledged mail is there and intact', async () => {
    await withPostgresDatabase(async (url) => {
      const r = await killDuringBurst({ POSTERN_DATA_DIR: mkdtempSync(join(tmpdir(), 'postern-kill-')), POSTERN_DATABASE_URL: url, POSTERN_BLOB_STORE: 'database' });
      assert.ok(r.stored >= r.acked);
    });
  });
});
