// The web app under load, each figure against a peer measured in the same run:
// - signed-in `GET /api/session` per second against a bare Fastify hello-world (goal ≥ 0.6×), and
//   against that hello-world with a session read from SQLite and a log line, the least a signed-in request does;
// - sign-ins (`POST /api/login`, argon2id) per second against the argon2 limit, cores ÷ one hash's time (goal ≥ 0.9×).
// Postern runs as deployed (its default log level), each server in a child process; the load comes from
// lib/httpClient.ts, light enough that the hello-world, not the client, sets the peer's rate (node:http's
// client held it at a third of that). Run: node bench/web.ts [seconds]
// (BENCH_CPU_PROF=<dir> writes a CPU profile of Postern.)
import type { ChildProcess } from 'node:child_process';
import { argon2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { currentParams, hashPassword, verifyPassword } from '../src/core/passwords.ts';
import { hashSessionId } from '../src/core/sessions.ts';
import { stdoutLines } from '../src/log.ts';
import { startPostern } from '../src/server.ts';
import { rate } from './lib/compare.ts';
import { type Connection, connect, cookiesOf } from './lib/httpClient.ts';
import { cpuSeconds, startChild } from './lib/processes.ts';

const self = fileURLToPath(import.meta.url);
const seconds = Number(process.argv[2] ?? 10);
const users = Array.from({ length: 8 }, (_, i) => `web${i}@example.edu`);
const password = 'bench main password 2026';
const ready = /^BENCH (\d+)$/m;

/** Child mode: Postern on a temp data dir with the bench users; prints its web port. */
async function servePostern(dir: string): Promise<void> {
  const ports = ['WEB', 'SMTP', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'].map((p) => [`POSTERN_${p}_PORT`, '0']);
  const postern = await startPostern(loadConfig({ ...process.env, POSTERN_DATA_DIR: dir, ...Object.fromEntries(ports) }));
  await postern.ctx.accounts.addDomain('example.edu');
  for (const address of users) await postern.ctx.accounts.create({ address, password });
  process.stdout.write(`BENCH ${new URL(postern.url).port}\n`);
  process.once('SIGTERM', () => void postern.stop().finally(() => process.exit(0)));
}

/** Child mode: the peer, Fastify's own hello-world. */
async function serveHello(): Promise<void> {
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`BENCH ${new URL(url).port}\n`);
}

/**
 * Child mode: the floor of any signed-in request, the hello-world that also reads its session as
 * Postern stores it (a SQLite file in WAL mode: the cookie's SHA-256 looked up, joined to its
 * account) and logs one line as Postern's request log does. Prints its port and the session ids.
 */
async function serveFloor(dir: string): Promise<void> {
  const db = new DatabaseSync(join(dir, 'floor.sqlite'));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE accounts (id TEXT PRIMARY KEY, address TEXT, display_name TEXT, password_hash TEXT, created_at INTEGER, disabled INTEGER);
    CREATE TABLE web_sessions (id_hash TEXT PRIMARY KEY, account_id TEXT REFERENCES accounts, created_at INTEGER, last_seen_at INTEGER, ip TEXT, user_agent TEXT);`);
  db.prepare('INSERT INTO accounts VALUES (?, ?, ?, ?, ?, 0)').run('a1', users[0], 'Web', await hashPassword(password), Date.now());
  const ids = users.map(() => randomBytes(32).toString('base64url'));
  for (const id of ids) db.prepare('INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?, ?)').run(hashSessionId(id), 'a1', Date.now(), Date.now(), '127.0.0.1', 'bench');
  const find = db.prepare('SELECT * FROM web_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?');
  const app = Fastify({ logger: { level: 'info', stream: stdoutLines() }, disableRequestLogging: true });
  await app.register(cookie);
  app.get('/', async (request, reply) => {
    const found = find.get(hashSessionId(request.cookies.postern_session ?? '')) as { address: string } | undefined;
    if (!found) return reply.code(401).send({});
    request.log.info({ method: request.method, route: request.routeOptions.url, status: 200, ip: request.ip }, 'request');
    return { account: { address: found.address } };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`BENCH ${new URL(url).port}\nSESSIONS ${ids.join(',')}\n`);
}

/** One connection per client of a load, opened as the load starts. */
const connections = (port: number, count: number): Connection[] => Array.from({ length: count }, () => connect(port));

async function request(conn: Connection, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; cookies: string[]; json: Record<string, unknown> }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const r = await conn.request(method, path, data === undefined ? headers : { ...headers, 'content-type': 'application/json' }, data);
  return { status: r.status, cookies: cookiesOf(r.head), json: JSON.parse(r.body.toString() || '{}') };
}

/** What a browser holds before signing in: the pre-login cookie and its CSRF token. */
async function signInForm(conn: Connection): Promise<{ cookie: string; token: string }> {
  const r = await request(conn, 'GET', '/api/session');
  return { cookie: r.cookies.join('; '), token: r.json.csrfToken as string };
}

async function signIn(conn: Connection, form: { cookie: string; token: string }, address: string): Promise<string> {
  const r = await request(conn, 'POST', '/api/login', { cookie: form.cookie, 'x-csrf-token': form.token }, { address, password });
  if (r.status !== 200 || r.json.status !== 'ok') throw new Error(`sign-in failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.cookies.find((c) => c.startsWith('postern_session='))!;
}

interface Load {
  port: number;
  pid: number;
  clients: number;
  /** One request; resolves when it succeeded. */
  one(client: number): Promise<void>;
}

/** Requests per second and server CPU milliseconds per request, over `ms`. */
async function run(load: Load, ms: number): Promise<{ done: number; seconds: number; cpu: number }> {
  let done = 0;
  const cpu = cpuSeconds(load.pid);
  const started = Date.now();
  const end = started + ms;
  await Promise.all(Array.from({ length: load.clients }, async (_, c) => {
    while (Date.now() < end) {
      await load.one(c);
      done++;
    }
  }));
  return { done, seconds: (Date.now() - started) / 1000, cpu: cpuSeconds(load.pid) - cpu };
}

/** Alternating rounds, so that load from elsewhere on the machine hits all alike. */
async function compare(loads: Load[], ms: number, rounds = 4): Promise<{ rate: number; cpuMs: number }[]> {
  const totals = loads.map(() => ({ done: 0, seconds: 0, cpu: 0 }));
  for (let i = 0; i < rounds; i++) {
    for (const [k, load] of loads.entries()) {
      const r = await run(load, ms / rounds);
      totals[k].done += r.done;
      totals[k].seconds += r.seconds;
      totals[k].cpu += r.cpu;
    }
  }
  return totals.map((t) => ({ rate: t.done / t.seconds, cpuMs: (t.cpu * 1000) / t.done }));
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/** One argon2id hash of a sign-in password, alone on this thread: wall and CPU milliseconds (medians of a few, servers idle). */
function oneHash(): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    argon2Sync('argon2id', { message: password, nonce: randomBytes(16), tagLength: 32, ...currentParams });
    const used = process.cpuUsage(c);
    wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** Hashes per second with `parallel` verifications always in flight and nothing else running. */
async function bareHashes(parallel: number, ms: number): Promise<number> {
  const stored = await hashPassword(password);
  return rate({ pid: process.pid, cycle: async () => void (await verifyPassword(password, stored)) }, parallel, ms);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-bench-web-'));
  const children: ChildProcess[] = [];
  const open: Connection[] = [];
  try {
    const profileDir = process.env.BENCH_CPU_PROF;
    const postern = await startChild(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), self, '--postern', dir], ready);
    children.push(postern.child);
    const hello = await startChild(process.execPath, [self, '--hello'], ready);
    children.push(hello.child);
    const floor = await startChild(process.execPath, [self, '--floor', dir], /^SESSIONS (\S+)$/m);
    children.push(floor.child);
    const posternPort = Number(ready.exec(postern.output)![1]);
    const helloPort = Number(ready.exec(hello.output)![1]);
    const floorPort = Number(ready.exec(floor.output)![1]);
    const floorSessions = /^SESSIONS (\S+)$/m.exec(floor.output)![1].split(',');

    const clients = 32;
    const posternConns = connections(posternPort, clients);
    const helloConns = connections(helloPort, clients);
    const floorConns = connections(floorPort, clients);
    open.push(...posternConns, ...helloConns, ...floorConns);
    const form = await signInForm(posternConns[0]);
    const sessions = await Promise.all(users.map((u, i) => signIn(posternConns[i], form, u)));
    const session: Load = {
      port: posternPort, pid: postern.child.pid!, clients,
      async one(c) {
        const r = await request(posternConns[c], 'GET', '/api/session', { cookie: sessions[c % sessions.length] });
        if (r.status !== 200 || !r.json.account) throw new Error(`GET /api/session: ${r.status}`);
      },
    };
    const helloWorld: Load = {
      port: helloPort, pid: hello.child.pid!, clients,
      async one(c) {
        if ((await request(helloConns[c], 'GET', '/')).status !== 200) throw new Error('hello-world failed');
      },
    };
    const floorLoad: Load = {
      port: floorPort, pid: floor.child.pid!, clients,
      async one(c) {
        const r = await request(floorConns[c], 'GET', '/', { cookie: `postern_session=${floorSessions[c % floorSessions.length]}` });
        if (r.status !== 200) throw new Error(`floor: ${r.status}`);
      },
    };
    await compare([session, helloWorld, floorLoad], 2000, 1);
    const [s, h, f] = await compare([session, helloWorld, floorLoad], seconds * 1000);
    const ratio = s.rate / h.rate;
    console.log(`signed-in GET /api/session, ${clients} keep-alive clients, ${seconds} s each in alternating rounds`);
    console.log(`Postern: ${s.rate.toFixed(0)}/s  bare Fastify hello-world: ${h.rate.toFixed(0)}/s  ratio: ${ratio.toFixed(2)}x (goal >= 0.6x: ${ratio >= 0.6 ? 'met' : 'NOT met'})`);
    console.log(`server CPU per request: Postern ${s.cpuMs.toFixed(3)} ms  hello-world ${h.cpuMs.toFixed(3)} ms  efficiency ratio: ${(h.cpuMs / s.cpuMs).toFixed(2)}x`);
    // What a session kept in the database costs by itself: the goal's room is what is left of it.
    console.log(`hello-world + one SQLite session read + one log line: ${f.rate.toFixed(0)}/s = ${(f.rate / h.rate).toFixed(2)}x hello-world (${f.cpuMs.toFixed(3)} ms CPU); Postern: ${(s.rate / f.rate).toFixed(2)}x of it`);

    const cores = availableParallelism();
    const logins: Load = {
      port: posternPort, pid: postern.child.pid!, clients: cores * 2,
      async one(c) {
        await signIn(posternConns[c], form, users[c % users.length]);
      },
    };
    // Rounds of sign-ins, bare hashes and single hashes taken in turn: this machine's speed drifts
    // within a run, and a hash timed only before and after set the limit from a moment of its own.
    const rounds = 4;
    const l = { done: 0, seconds: 0, cpu: 0 };
    const samples: { wallMs: number; cpuMs: number }[] = [];
    let bareDone = 0;
    for (let i = 0; i < rounds; i++) {
      samples.push(oneHash());
      const r = await run(logins, (seconds * 1000) / rounds);
      l.done += r.done;
      l.seconds += r.seconds;
      l.cpu += r.cpu;
      bareDone += (await bareHashes(cores, (seconds * 1000) / rounds)) * (seconds / rounds);
    }
    samples.push(oneHash());
    const bare = bareDone / seconds;
    const hash = { wallMs: median(samples.map((h) => h.wallMs)), cpuMs: median(samples.map((h) => h.cpuMs)) };
    const limit = (cores * 1000) / hash.wallMs;
    const loginRate = l.done / l.seconds;
    const cpuPerLogin = (l.cpu * 1000) / l.done;
    console.log(`sign-ins (POST /api/login, argon2id m=19 MiB t=2), ${logins.clients} clients, ${seconds} s in ${rounds} rounds between single hashes (limit from their median) and bare ones`);
    console.log(`Postern: ${loginRate.toFixed(1)}/s  argon2 limit: ${limit.toFixed(1)}/s (${cores} cores / ${hash.wallMs.toFixed(1)} ms per hash)  ratio: ${(loginRate / limit).toFixed(2)}x (goal >= 0.9x: ${loginRate / limit >= 0.9 ? 'met' : 'NOT met'})`);
    // On a shared machine the rate also reflects other load; CPU per sign-in against CPU per hash does not.
    console.log(`server CPU per sign-in: ${cpuPerLogin.toFixed(1)} ms  one hash: ${hash.cpuMs.toFixed(1)} ms CPU  efficiency ratio: ${(hash.cpuMs / cpuPerLogin).toFixed(2)}x`);
    // What the machine itself gives: hashes alone, one per core at a time, with nothing else to do.
    console.log(`bare argon2id, ${cores} at a time in this process: ${bare.toFixed(1)}/s = ${(bare / limit).toFixed(2)}x the limit; Postern's sign-ins: ${(loginRate / bare).toFixed(2)}x of that`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    for (const conn of open) conn.close();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--postern') await servePostern(process.argv[3]);
else if (process.argv[2] === '--hello') await serveHello();
else if (process.argv[2] === '--floor') await serveFloor(process.argv[3]);
else await main();
