import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const rspamdMissing = spawnSync('rspamd', ['--version']).status === 0 ? undefined : 'rspamd is not installed: apt-get install -y rspamd';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * A real rspamd (Debian's package) with one normal worker on a free port: GTUBE gets "reject",
 * a Subject containing SPAM-TEST scores 9 more ("add header"). Its compiled regexp cache is kept
 * across runs, so only the first start on a machine is slow.
 */
export async function startRspamd(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-rspamd-'));
  const cache = join(tmpdir(), 'postern-rspamd-cache');
  mkdirSync(cache, { recursive: true });
  mkdirSync(join(dir, 'local.d'));
  const port = await freePort();
  writeFileSync(join(dir, 'spam-subjects.map'), '/SPAM-TEST/\n');
  writeFileSync(join(dir, 'local.d', 'multimap.conf'), `POSTERN_TEST_SPAM { type = "header"; header = "Subject"; regexp = true; map = "${dir}/spam-subjects.map"; score = 9.0; }\n`);
  writeFileSync(join(dir, 'rspamd.conf'), [
    '.include "$CONFDIR/common.conf"',
    `options { pidfile = "${dir}/rspamd.pid"; hs_cache_dir = "${cache}/"; gtube_patterns = "all"; dns { timeout = 1s; retransmits = 1; } .include "$CONFDIR/options.inc"; }`,
    `logging { type = "file"; filename = "${dir}/rspamd.log"; level = "error"; }`,
    `worker "normal" { bind_socket = "127.0.0.1:${port}"; .include "$CONFDIR/worker-normal.inc"; count = 1; }`,
  ].join('\n'));
  const vars = ['DBDIR', 'RUNDIR', 'LOGDIR', 'LOCAL_CONFDIR'].map((v) => `--var=${v}=${dir}`);
  // Its own process group: the workers are stopped with the main process, not left holding the port.
  const child: ChildProcess = spawn('rspamd', ['-f', '-i', '-c', join(dir, 'rspamd.conf'), ...vars], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // The first start compiles rspamd's regexps, which takes minutes on a busy machine.
  for (const until = Date.now() + 600_000; Date.now() < until && child.exitCode === null; ) {
    if (await fetch(`${url}/ping`).then((r) => r.ok, () => false)) return { url, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error('rspamd did not start');
}
