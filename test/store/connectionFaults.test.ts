import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import pg from 'pg';
import { testPostern } from '../helpers/context.ts';
import { withPostgresDatabase } from '../helpers/db.ts';
import { RawClient } from '../helpers/rawClient.ts';
import { smtpClient } from '../helpers/smtp.ts';
import { TestBrowser } from '../helpers/web.ts';

/** A TCP hop in front of PostgreSQL: `cut()` makes the database unreachable (a failover, a network split), `restore()` brings it back. */
async function databaseLink(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {}).on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    async cut() {
      const closed = new Promise((r) => server.close(r));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    close: () => new Promise((r) => server.close(r)),
  };
}

async function imapLogin(port: number, address: string, password: string): Promise<string> {
  const c = await RawClient.connect(port, true);
  await c.until(/^\* OK/m);
  const answer = await c.command('L', `LOGIN ${address} "${password}"`);
  c.close();
  return answer;
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

test('O1 PostgreSQL connections killed or unreachable: the node survives, answers 503 / NO [UNAVAILABLE] / 451 4.3.0 quickly, /readyz 503, then serves again by itself', async () => {
  await withPostgresDatabase(async (databaseUrl) => {
    const link = await databaseLink(new URL(databaseUrl));
    const env = await testPostern({}, { POSTERN_DATABASE_URL: link.url, POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '10' });
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
      assert.equal((await web().login(address, password)).statusCode, 200);
      assert.match(await imapLogin(imaps, address, password), /^L OK/m);
      assert.equal((await postern.web.inject('/readyz')).statusCode, 200);
    } finally {
      await env.cleanup();
      await link.close();
    }
  });
});
