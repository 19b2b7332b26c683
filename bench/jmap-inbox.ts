// The first page of an inbox, Postern over JMAP against Dovecot over IMAP in the same run, at
// 1 000, 10 000 and 100 000 messages. Postern: one HTTP request of Email/query (inMailbox, receivedAt
// descending, position 0, limit 50, collapseThreads) and Email/get of those 50 (preview, from,
// subject, keywords). Dovecot: SORT (REVERSE ARRIVAL) then FETCH of the first 50 with ENVELOPE,
// FLAGS and BODY.PEEK[TEXT]<0.256>, on a selected mailbox. Goals: Postern ≥ 1.0× Dovecot at every
// size, and < 2× growth from 1 000 to 100 000.
// Needs root and `apt-get install -y dovecot-imapd`. Run: node bench/jmap-inbox.ts [seconds] [sizes]
// (BENCH_CPU_PROF=<dir> writes a CPU profile of Postern.)
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { Session, startDovecot } from './lib/peers.ts';
import { startChild } from './lib/processes.ts';

const seconds = Number(process.argv[2] ?? 6);
const sizes = (process.argv[3] ?? '1000,10000,100000').split(',').map(Number);
const rounds = 3;

interface Account {
  size: number;
  user: string;
  password: string;
  accountId: string;
  inbox: string;
}

function jmapPage(url: string, a: Account) {
  const authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;
  const body = JSON.stringify({
    using: ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail'],
    methodCalls: [
      ['Email/query', { accountId: a.accountId, filter: { inMailbox: a.inbox }, sort: [{ property: 'receivedAt', isAscending: false }], position: 0, limit: 50, collapseThreads: true }, 'q'],
      ['Email/get', { accountId: a.accountId, '#ids': { resultOf: 'q', name: 'Email/query', path: '/ids' }, properties: ['preview', 'from', 'subject', 'keywords'] }, 'g'],
    ],
  });
  // node:http on one kept-alive connection, as thin a client as the IMAP side's socket: fetch
  // (undici) spent more CPU per page in this process than Postern did answering it.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  const headers = { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const post = () =>
    new Promise<string>((resolve, reject) => {
      const req = request({ agent, hostname, port, path: '/jmap/api', method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return async () => {
    const json = JSON.parse(await post()) as { methodResponses: [string, { list?: unknown[] }, string][] };
    if (json.methodResponses[1][1].list?.length !== 50) throw new Error(`JMAP page: ${JSON.stringify(json).slice(0, 300)}`);
  };
}

async function imapPage(port: number, user: string, password: string) {
  const s = await Session.open(port);
  await s.command('a', `LOGIN ${user} "${password}"`);
  await s.command('b', 'SELECT INBOX');
  let n = 0;
  const page = async () => {
    const sorted = await s.command(`s${n}`, 'SORT (REVERSE ARRIVAL) UTF-8 ALL');
    const ids = /^\* SORT ([\d ]*)\r\n/m.exec(sorted)![1].trim().split(' ').slice(0, 50);
    const fetched = await s.command(`f${n++}`, `FETCH ${ids.join(',')} (ENVELOPE FLAGS BODY.PEEK[TEXT]<0.256>)`);
    if ((fetched.match(/^\* \d+ FETCH/gm) ?? []).length !== 50) throw new Error(`IMAP page: ${fetched.slice(0, 300)}`);
  };
  return { page, close: () => s.close() };
}

/** Milliseconds per page over `ms`, one client, pages back to back. */
async function msPerPage(page: () => Promise<void>, ms: number): Promise<{ pages: number; ms: number }> {
  let pages = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    await page();
    pages++;
  }
  return { pages, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-bench-jmap-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'postern'));
  mkdirSync(join(dir, 'dovecot'), { mode: 0o755 });
  const children: ChildProcess[] = [];
  try {
    const seeding = Date.now();
    const child = fileURLToPath(new URL('./lib/jmap-child.ts', import.meta.url));
    const profileDir = process.env.BENCH_CPU_PROF;
    const started = await startChild(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), child, join(dir, 'postern'), JSON.stringify(sizes)], /\{.*"url".*\}\n/);
    children.push(started.child);
    const { url, accounts } = JSON.parse(/\{.*\}/.exec(started.output)![0]) as { url: string; accounts: Account[] };
    const dovecot = await startDovecot(join(dir, 'dovecot'), join(dir, 'postern', 'tls'), accounts.map((a) => ({ user: a.user, count: a.size })));
    children.push(dovecot.child);
    console.log(`seeded ${sizes.join(', ')} messages in ${((Date.now() - seeding) / 1000).toFixed(0)} s`);
    console.log(`first inbox page (query + get of 50), one client, ${rounds} alternating rounds of ${seconds / rounds} s each`);
    const results: { size: number; postern: number; dovecot: number }[] = [];
    for (const a of accounts) {
      const postern = jmapPage(url, a);
      const imap = await imapPage(dovecot.target.port, a.user, dovecot.target.passwords.at(-1)!);
      // Warm-up: Dovecot builds its index and sort cache, Postern's database pages come into memory.
      for (let i = 0; i < 20; i++) {
        await postern();
        await imap.page();
      }
      const totals = { postern: { pages: 0, ms: 0 }, dovecot: { pages: 0, ms: 0 } };
      for (let r = 0; r < rounds; r++) {
        for (const [name, page] of [['postern', postern], ['dovecot', imap.page]] as const) {
          const m = await msPerPage(page, (seconds * 1000) / rounds);
          totals[name].pages += m.pages;
          totals[name].ms += m.ms;
        }
      }
      imap.close();
      const p = totals.postern.ms / totals.postern.pages;
      const d = totals.dovecot.ms / totals.dovecot.pages;
      results.push({ size: a.size, postern: p, dovecot: d });
      console.log(`${String(a.size).padStart(6)} messages: Postern ${p.toFixed(2)} ms  Dovecot ${d.toFixed(2)} ms  ratio: ${(d / p).toFixed(2)}x (goal >= 1.0x)`);
    }
    const first = results[0];
    const last = results.at(-1)!;
    if (results.length > 1) {
      console.log(`growth ${first.size} → ${last.size}: Postern ${(last.postern / first.postern).toFixed(2)}x  Dovecot ${(last.dovecot / first.dovecot).toFixed(2)}x (goal < 2x for Postern)`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
