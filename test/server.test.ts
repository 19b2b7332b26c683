import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startPostern } from '../src/server.ts';
import { posternServe } from './helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'postern-serve-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

test('npm start on an empty data dir: URL, demo credentials, /healthz 200; a second serve on the same dir refuses', async () => {
  const dir = freshDir();
  const first = await posternServe({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0' });
  try {
    const out = first.output();
    const url = /running \(development, sqlite\): (http:\/\/\S+)/.exec(out)?.[1];
    assert.ok(url, out);
    assert.match(out, /test001@example\.test  password: \S{19}/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const body = await health.json();
    assert.deepEqual({ status: body.status, database: body.database }, { status: 'ok', database: 'sqlite' });
    assert.deepEqual(body.checks.map((c: { name: string; status: string }) => [c.name, c.status]), [['database', 'ok']]);

    const second = await posternServe({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0' });
    assert.equal(second.code, 1);
    assert.match(second.output(), /another Postern \(pid \d+\) is already serving/);
  } finally {
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.on('exit', r));
  }
  const again = await posternServe({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0' });
  again.child.kill('SIGTERM');
  assert.match(again.output(), /its password was printed at first start/);
});

const startupFaults: [string, () => Record<string, string>, RegExp][] = [
  ['a port in use', () => ({ POSTERN_DATA_DIR: freshDir(), POSTERN_WEB_PORT: String(busyPort) }), /port is already in use/],
  ['unreachable PostgreSQL', () => ({ POSTERN_DATA_DIR: freshDir(), POSTERN_DATABASE_URL: 'postgres://127.0.0.1:1/none' }), /cannot connect to PostgreSQL/],
  ['a corrupt SQLite file', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'postern.sqlite'), 'this is not a database'.repeat(300));
    return { POSTERN_DATA_DIR: dir };
  }, /cannot open the SQLite database|file is not a database/],
  ['a data dir that is not writable', () => {
    // Tests run as root, for whom permission bits don't stop writes: a path under a file can't be created.
    const file = freshDir();
    writeFileSync(file, '');
    return { POSTERN_DATA_DIR: join(file, 'sub') };
  }, /not writable/],
  ['a bad setting', () => ({ POSTERN_DATA_DIR: freshDir(), POSTERN_WEB_PORT: 'eighty' }), /^postern: POSTERN_WEB_PORT="eighty"/m],
];

let busyPort = 0;
const blocker = createServer();

for (const [name, env, message] of startupFaults) {
  test(`start-up fault: ${name} stops with a clear message and exit 1`, async () => {
    if (!busyPort) {
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      busyPort = (blocker.address() as { port: number }).port;
    }
    const r = await posternServe({ POSTERN_WEB_PORT: '0', ...env() });
    if (r.code === null) r.child.kill('SIGKILL');
    assert.equal(r.code, 1, r.output());
    assert.match(r.output(), message);
    assert.doesNotMatch(r.output(), /\n\s+at /, 'no stack trace');
  });
}
after(() => blocker.close());

/** Eight ports free a moment ago, as POSTERN_*_PORT settings. */
async function freePorts(): Promise<Record<string, string>> {
  const names = ['WEB', 'SMTP', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'];
  const servers = await Promise.all(names.map(() => new Promise<ReturnType<typeof createServer>>((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => r(s)); })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return Object.fromEntries(names.map((name, i) => [`POSTERN_${name}_PORT`, String(ports[i])]));
}

const bindable = (port: number) => new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

test('a start that fails part-way (TLS files that cannot be read, an IMAP port in use) leaves no port listening', async () => {
  const start = (env: Record<string, string>) => startPostern(loadConfig({ POSTERN_DATA_DIR: freshDir(), ...env }), { log: pino({ level: 'silent' }) });
  const badTls = await freePorts();
  await assert.rejects(start({ ...badTls, POSTERN_TLS_CERT: '/nonexistent/fullchain.pem', POSTERN_TLS_KEY: '/nonexistent/privkey.pem' }), /POSTERN_TLS_KEY=\/nonexistent\/privkey.pem: cannot be read/);
  for (const port of Object.values(badTls)) assert.ok(await bindable(Number(port)), `port ${port} still bound`);

  const imapBusy = await freePorts();
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(Number(imapBusy.POSTERN_IMAP_PORT), '127.0.0.1', r));
  try {
    await assert.rejects(start(imapBusy), /POSTERN_IMAP_PORT=\d+: the port is already in use/);
  } finally {
    holder.close();
  }
  for (const [name, port] of Object.entries(imapBusy)) assert.ok(name === 'POSTERN_IMAP_PORT' || (await bindable(Number(port))), `${name}=${port} still bound`);
});
