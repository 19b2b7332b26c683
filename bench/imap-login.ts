// IMAP login throughput, Postern against Dovecot measured in the same run: TLS connect, LOGIN
// (an app password for Postern, a passwd-file user for Dovecot), SELECT INBOX, LOGOUT — per second,
// printed as a ratio. Then the RSS of Postern holding 10 000 idle logged-in IMAP connections.
// Needs root and `apt-get install -y dovecot-imapd`. Run: node bench/imap-login.ts [seconds]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { cpuSeconds, startChild } from './processes.ts';
import { loadConfig } from '../src/config.ts';
import { startPostern } from '../src/server.ts';

const self = fileURLToPath(import.meta.url);
// Many users, as on a real server: one account's concurrent logins are capped by clientAuth.
const users = Array.from({ length: 32 }, (_, i) => `bench${i}@example.edu`);
const seconds = Number(process.argv[2] ?? 10);
const workers = 16;
const idleConnections = 10_000;
const message = (i: number) => `From: bench@example.edu\r\nTo: bench@example.edu\r\nSubject: message ${i}\r\n\r\n${'Some text. '.repeat(50)}\r\n`;

interface Target {
  port: number;
  /** Per user, same order as `users`. */
  passwords: string[];
}

/** Child mode: one Postern on a temp data dir; prints its IMAPS port and the users' app passwords. */
async function serve(dir: string): Promise<void> {
  const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0', POSTERN_SMTP_PORT: '0', POSTERN_SUBMISSION_PORT: '0', POSTERN_SMTPS_PORT: '0', POSTERN_IMAP_PORT: '0', POSTERN_IMAPS_PORT: '0', POSTERN_POP3_PORT: '0', POSTERN_POP3S_PORT: '0', POSTERN_MAIL_CONNECTIONS_PER_IP: String(idleConnections + 1000), POSTERN_LOG_LEVEL: 'silent', ...(process.env.BENCH_REDIS_URL ? { POSTERN_REDIS_URL: process.env.BENCH_REDIS_URL } : {}) });
  const postern = await startPostern(config, { log: pino({ level: 'silent' }) });
  await postern.ctx.accounts.addDomain('example.edu');
  const passwords: string[] = [];
  for (const address of users) {
    const account = await postern.ctx.accounts.create({ address, password: 'bench main password 2026' });
    passwords.push((await postern.ctx.appPasswords.create(account.id, 'bench')).password);
    for (let i = 0; i < 20; i++) await postern.ctx.mail.deliver(account.id, Buffer.from(message(i)));
  }
  const target: Target = { port: postern.mailAccess.ports.imaps, passwords };
  process.stdout.write(JSON.stringify(target) + '\n');
  process.once('SIGTERM', () => void postern.stop().finally(() => process.exit(0)));
}

/** Dovecot gets Postern's own certificate and key, so both do the same TLS work. */
async function startDovecot(dir: string, tlsDir: string): Promise<{ child: ChildProcess; target: Target }> {
  copyFileSync(join(tlsDir, 'cert.pem'), join(dir, 'cert.pem'));
  copyFileSync(join(tlsDir, 'key.pem'), join(dir, 'key.pem'));
  const password = 'dovecot-bench-password';
  writeFileSync(join(dir, 'passwd'), users.map((u) => `${u}:{PLAIN}${password}::::::\n`).join(''));
  const home = join(dir, 'home');
  for (const u of users) {
    const maildir = join(home, u, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(maildir, 'cur', `${1700000000 + i}.M${i}P1.bench:2,`), message(i));
  }
  const uid = Number(spawnSync('id', ['-u', 'dovecot']).stdout.toString());
  const gid = Number(spawnSync('id', ['-g', 'dovecot']).stdout.toString());
  spawnSync('chown', ['-R', `${uid}:${gid}`, home]);
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(join(dir, 'dovecot.conf'), [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = required',
    `ssl_cert = <${dir}/cert.pem`,
    `ssl_key = <${dir}/key.pem`,
    'disable_plaintext_auth = yes',
    'auth_mechanisms = plain',
    'first_valid_uid = 1',
    'mail_max_userip_connections = 20000',
    'default_process_limit = 20000',
    'default_client_limit = 20000',
    `passdb {\n  driver = passwd-file\n  args = ${dir}/passwd\n}`,
    `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${home}/%u\n}`,
    'mail_location = maildir:~/Maildir',
    `service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = ${port}\n    ssl = yes\n  }\n  service_count = 0\n  process_min_avail = 2\n}`,
    `service imap {\n  service_count = 0\n  process_limit = 20000\n}`,
  ].join('\n'));
  const child = spawn('dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    try {
      const c = await Session.open(port);
      c.close();
      return { child, target: { port, passwords: users.map(() => password) } };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Dovecot did not start: ${readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-2000)}`);
}

/** A minimal IMAP client session over TLS. */
class Session {
  readonly socket: tls.TLSSocket;
  #buffer = '';
  #waiting: (() => void) | null = null;

  constructor(socket: tls.TLSSocket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.#buffer += d;
      this.#waiting?.();
    });
    socket.on('close', () => this.#waiting?.());
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<Session> {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    const s = new Session(socket);
    await s.until(/^\* OK.*\r\n/m);
    return s;
  }

  async until(pattern: RegExp): Promise<string> {
    for (;;) {
      const m = pattern.exec(this.#buffer);
      if (m) {
        const text = this.#buffer.slice(0, m.index + m[0].length);
        this.#buffer = this.#buffer.slice(m.index + m[0].length);
        return text;
      }
      if (this.socket.destroyed) throw new Error(`closed: ${this.#buffer.slice(0, 200)}`);
      await new Promise<void>((r) => (this.#waiting = r));
    }
  }

  async command(tag: string, text: string): Promise<void> {
    this.socket.write(`${tag} ${text}\r\n`);
    const reply = await this.until(new RegExp(`^${tag} (OK|NO|BAD).*\\r\\n`, 'm'));
    if (!new RegExp(`^${tag} OK`, 'm').test(reply)) throw new Error(`${text.split(' ')[0]} failed: ${reply.slice(-200)}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

async function loginCycle(target: Target, n: number): Promise<void> {
  const s = await Session.open(target.port);
  try {
    await s.command('a', `LOGIN ${users[n % users.length]} "${target.passwords[n % users.length]}"`);
    await s.command('b', 'SELECT INBOX');
    s.socket.write('c LOGOUT\r\n');
    await s.until(/^c OK.*\r\n/m);
  } finally {
    s.close();
  }
}

/** Cycles per second over `ms`, `workers` clients at a time. */
async function rate(target: Target, ms: number): Promise<number> {
  let done = 0;
  const end = Date.now() + ms;
  const worker = async (w: number) => {
    while (Date.now() < end) {
      await loginCycle(target, w);
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return done / ((Date.now() - started) / 1000);
}

interface Measured {
  rate: number;
  /** Server CPU milliseconds per login cycle. */
  cpuMs: number;
}

/** Alternating rounds, so that load from elsewhere on the machine hits both servers alike. */
async function compare(a: Target, aPid: number, b: Target, bPid: number): Promise<[Measured, Measured]> {
  for (const t of [a, b]) for (let i = 0; i < users.length; i++) await loginCycle(t, i);
  const rounds = 5;
  const totals = [{ cycles: 0, seconds: 0, cpu: 0 }, { cycles: 0, seconds: 0, cpu: 0 }];
  for (let i = 0; i < rounds; i++) {
    for (const [k, target, pid] of [[0, a, aPid], [1, b, bPid]] as const) {
      const cpu = cpuSeconds(pid);
      const started = Date.now();
      const r = await rate(target, (seconds * 1000) / rounds);
      const elapsed = (Date.now() - started) / 1000;
      totals[k].cycles += r * elapsed;
      totals[k].seconds += elapsed;
      totals[k].cpu += cpuSeconds(pid) - cpu;
    }
  }
  const result = totals.map((t) => ({ rate: t.cycles / t.seconds, cpuMs: (t.cpu * 1000) / t.cycles }));
  return [result[0], result[1]];
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function holdIdle(target: Target, pid: number): Promise<number> {
  const sessions: Session[] = [];
  let next = 0;
  const worker = async () => {
    while (next < idleConnections) {
      const n = next++;
      const s = await Session.open(target.port);
      await s.command('a', `LOGIN ${users[n % users.length]} "${target.passwords[n % users.length]}"`);
      await s.command('b', 'SELECT INBOX');
      sessions.push(s);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  await new Promise((r) => setTimeout(r, 3000));
  const rss = rssMiB(pid);
  for (const s of sessions) s.close();
  return rss;
}

async function main(): Promise<void> {
  if (spawnSync('dovecot', ['--version']).status !== 0) {
    console.error('Dovecot is needed as the peer: apt-get update && apt-get install -y dovecot-imapd (as root)');
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'postern-bench-'));
  // Dovecot's unprivileged processes read the passwd file and the mail home under it.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'postern'));
  mkdirSync(join(dir, 'dovecot'), { mode: 0o755 });
  const children: ChildProcess[] = [];
  try {
    const postern = await startChild(process.execPath, [self, '--serve', join(dir, 'postern')], /\{.*"port".*\}\n/);
    children.push(postern.child);
    const target = JSON.parse(/\{.*\}/.exec(postern.output)![0]) as Target;
    const dovecot = await startDovecot(join(dir, 'dovecot'), join(dir, 'postern', 'tls'));
    children.push(dovecot.child);
    const [p, d] = await compare(target, postern.child.pid!, dovecot.target, dovecot.child.pid!);
    console.log(`connect+LOGIN+SELECT+LOGOUT over TLS, ${workers} clients, ${seconds} s each in alternating rounds`);
    console.log(`Postern: ${p.rate.toFixed(1)}/s  Dovecot: ${d.rate.toFixed(1)}/s  ratio: ${(p.rate / d.rate).toFixed(2)}x (goal >= 1.5x)`);
    // On a shared machine the rate also reflects other load; server CPU per login does not.
    console.log(`server CPU per login: Postern ${p.cpuMs.toFixed(2)} ms  Dovecot ${d.cpuMs.toFixed(2)} ms  efficiency ratio: ${(d.cpuMs / p.cpuMs).toFixed(2)}x`);
    const rss = await holdIdle(target, postern.child.pid!);
    console.log(`Postern RSS holding ${idleConnections} idle logged-in IMAP connections: ${rss.toFixed(0)} MiB (goal < 1024 MiB)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();
