import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
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
    assert.deepEqual(await health.json(), { status: 'ok', database: 'sqlite' });

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
