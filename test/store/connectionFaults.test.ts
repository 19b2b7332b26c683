import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import pg from 'pg';
import { busyTimeoutMs } from '../../src/store/sqliteAdapter.ts';
import { testPostern } from '../helpers/context.ts';
import { withPostgresDatabase } from '../helpers/db.ts';
import { RawClient } from '../helpers/rawClient.ts';
import { tcpLink } from '../helpers/tcpLink.ts';
import { smtpClient } from '../helpers/smtp.ts';
import { TestBrowser } from '../helpers/web.ts';

async function imapLogin(port: number, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(port, true);
  await c.until(/^\* OK/m);
  const answer = await c.command('L', `LOGIN ${address} "${password}"`);
  c.close();
  return answer;
}

async function pop3Login(port: number, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(port, true);
  await c.until(/^\+OK/m);
  c.send(`USER ${address}\r\n`);
  await c.until(/^\+OK/m);
  c.send(`PASS ${password}\r\n`);
  const answer = await c.until(/^[+-](OK|ERR)/m);
  c.close();
  return answer;
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

test('O1 PostgreSQL connections killed or unreachable: the node survives, answers 503 / NO [UNAVAILABLE] / -ERR [SYS/TEMP] / 451 4.3.0 quickly, /readyz 503, then serves again by itself', async (t) => {
  await withPostgresDatabase(async (databaseUrl) => {
    const target = new URL(databaseUrl);
    const link = await tcpLink(target.hostname, Number(target.port || 5432));
    const env = await testPostern({}, { POSTERN_DATABASE_URL: link.via(target), POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
    try {
      const { ctx, postern } = env;
      const address = 'fault@example.edu';
      const password = 'a long test passphrase';
      await ctx.accounts.create({ address, password });
      const imaps = postern.mailAccess.ports.imaps;
      const web = () => new TestBrowser(postern.web, '198.51.100.7');
      assert.equal((await web().login(address, password)).statusCode, 200);
      assert.match(await imapLogin(imaps, address, password), /^L OK/m);

      // A DBA (or a PostgreSQL restart) ends every connection of the node.
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await admin.end();
      assert.ok(killed.rowCount! >= 1, 'the node had connections to kill');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await web().login(address, password)).statusCode, 200, 'web login right after the kill');
      assert.match(await imapLogin(imaps, address, password), /^L OK/m, 'IMAP LOGIN right after the kill');

      // The database becomes unreachable.
      await link.cut();
      const login = await timed(web().login(address, password));
      assert.equal(login.value.statusCode, 503);
      assert.equal(login.value.json().error.code, 'unavailable');
      assert.ok(login.ms < 2000, `web answered in ${login.ms} ms`);
      const imap = await timed(imapLogin(imaps, address, password));
      assert.match(imap.value, /^L NO \[UNAVAILABLE\] /m);
      assert.ok(imap.ms < 2000, `IMAP answered in ${imap.ms} ms`);
      assert.match(await pop3Login(postern.mailAccess.ports.pop3s, address, password), /^-ERR \[SYS\/TEMP\] /m);
      const smtp = await smtpClient(postern.smtp.ports.smtp);
      await smtp.command('EHLO outside.test');
      await smtp.command('MAIL FROM:<someone@outside.test>');
      assert.match(await smtp.command(`RCPT TO:<${address}>`), /^451 4\.3\.0 /);
      smtp.close();
      const ready = await postern.web.inject('/readyz');
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json().checks.map((c: { name: string; status: string }) => [c.name, c.status]), [['database', 'unavailable']]);
      const health = await postern.web.inject('/healthz');
      assert.equal(health.statusCode, 200, 'the process itself is alive');
      assert.equal(health.json().status, 'unavailable');

      // The database comes back: no restart, the next requests succeed.
      await link.restore();
      const back = await timed(web().login(address, password));
      assert.equal(back.value.statusCode, 200);
      t.diagnostic(`during the outage: web 503 in ${login.ms} ms, IMAP NO in ${imap.ms} ms; first web login after the database returned: ${back.ms} ms`);
      assert.match(await imapLogin(imaps, address, password), /^L OK/m);
      assert.match(await pop3Login(postern.mailAccess.ports.pop3s, address, password), /^\+OK/m);
      assert.equal((await postern.web.inject('/readyz')).statusCode, 200);
    } finally {
      await env.cleanup();
      await link.close();
    }
  });
});

test('O1 SQLite held locked by another process (SQLITE_BUSY): a sign-in (a write) gets 503 after the busy timeout, IMAP logins (reads) go on, and service returns as soon as the lock is gone', async (t) => {
  const env = await testPostern({}, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
  try {
    const { ctx, postern } = env;
    const address = 'busy@example.edu';
    const password = 'a long test passphrase';
    await ctx.accounts.create({ address, password });
    const web = () => new TestBrowser(postern.web, '198.51.100.8');
    // Another writer (a `postern` command, a backup tool) holds the write lock.
    const other = new DatabaseSync(join(env.dir, 'postern.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    const login = await timed(web().login(address, password));
    assert.equal(login.value.statusCode, 503);
    assert.equal(login.value.json().error.code, 'unavailable');
    assert.match(await imapLogin(postern.mailAccess.ports.imaps, address, password), /^L OK/m);
    other.exec('ROLLBACK');
    other.close();
    assert.equal((await web().login(address, password)).statusCode, 200);
    t.diagnostic(`web login during the lock: 503 after ${login.ms} ms (busy timeout ${busyTimeoutMs} ms)`);
  } finally {
    await env.cleanup();
  }
});
