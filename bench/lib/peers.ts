// Postern and Dovecot side by side for the benchmarks: each on a temp directory, the same users,
// the same TLS certificate. Dovecot serves IMAP, or LMTP delivery into Maildir with fsync. Needs
// root and `apt-get install -y dovecot-imapd dovecot-lmtpd`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { DnsRecords } from '../../test/helpers/dns.ts';
import { startChild } from './processes.ts';

// Many users, as on a real server: one account's concurrent logins are capped by clientAuth.
export const users = Array.from({ length: 32 }, (_, i) => `bench${i}@example.edu`);
/** Users that start with an empty INBOX (imaptest's scripted and stress runs). */
export const emptyUsers = ['itest@example.edu', 'stress@example.edu'];
export const seededMessages = 20;
export const message = (i: number) => `From: bench@example.edu\r\nTo: bench@example.edu\r\nSubject: message ${i}\r\n\r\n${'Some text. '.repeat(50)}\r\n`;

export interface Target {
  /** IMAPS for Postern and Dovecot's IMAP, LMTP for Dovecot's LMTP. */
  port: number;
  /** Postern: inbound SMTP (port 25's server). */
  smtpPort?: number;
  /** Per user, same order as `users` then `emptyUsers`. */
  passwords: string[];
}

export interface Peer {
  child: ChildProcess;
  target: Target;
}

export function password(target: Target, user: string): string {
  return target.passwords[[...users, ...emptyUsers].indexOf(user)];
}

/** One Postern (bench/lib/postern-child.ts) on `dir`; `nodeArgs` e.g. --cpu-prof; `dnsRecords` its DNS (else the system's). */
export async function startPostern(dir: string, nodeArgs: string[] = [], dnsRecords?: DnsRecords): Promise<Peer> {
  const child = fileURLToPath(new URL('./postern-child.ts', import.meta.url));
  const env = dnsRecords ? { ...process.env, BENCH_DNS_RECORDS: JSON.stringify(dnsRecords) } : undefined;
  const started = await startChild(process.execPath, [...nodeArgs, child, dir], /\{.*"port".*\}\n/, env);
  return { child: started.child, target: JSON.parse(/\{.*\}/.exec(started.output)![0]) as Target };
}

/** A port nothing listens on now (a random one once met RabbitMQ's, and the bench talked to it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something on `port` greets with `220` (an LMTP server). */
function lmtpGreets(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.destroy();
      if (d.toString().startsWith('220')) resolve();
      else reject(new Error(d.toString()));
    });
    socket.once('error', reject);
  });
}

/** A mailbox to seed besides the standard users': `count` messages `message(0…count-1)`. */
export interface ExtraMailbox {
  user: string;
  count: number;
}

/**
 * Dovecot gets Postern's own certificate and key, so both do the same TLS work. With `lmtp` it
 * serves LMTP instead of IMAP and fsyncs every delivery, as Postern does before its 250.
 */
export async function startDovecot(dir: string, tlsDir: string, extra: ExtraMailbox[] = [], protocol: 'imap' | 'lmtp' = 'imap'): Promise<Peer> {
  if (spawnSync('dovecot', ['--version']).status !== 0) throw new Error('Dovecot is needed as the peer: apt-get update && apt-get install -y dovecot-imapd dovecot-lmtpd (as root)');
  copyFileSync(join(tlsDir, 'cert.pem'), join(dir, 'cert.pem'));
  copyFileSync(join(tlsDir, 'key.pem'), join(dir, 'key.pem'));
  const password = 'dovecot-bench-password';
  const all = [...users, ...emptyUsers, ...extra.map((e) => e.user)];
  writeFileSync(join(dir, 'passwd'), all.map((u) => `${u}:{PLAIN}${password}::::::\n`).join(''));
  const home = join(dir, 'home');
  for (const u of all) {
    const maildir = join(home, u, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    const count = users.includes(u) ? seededMessages : (extra.find((e) => e.user === u)?.count ?? 0);
    for (let i = 0; i < count; i++) writeFileSync(join(maildir, 'cur', `${1700000000 + i}.M${i}P1.bench:2,`), message(i));
  }
  const uid = Number(spawnSync('id', ['-u', 'dovecot']).stdout.toString());
  const gid = Number(spawnSync('id', ['-g', 'dovecot']).stdout.toString());
  spawnSync('chown', ['-R', `${uid}:${gid}`, home]);
  const port = Number(process.env.BENCH_DOVECOT_PORT ?? (await freePort()));
  writeFileSync(join(dir, 'dovecot.conf'), [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    `protocols = ${protocol}`,
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
    ...(protocol === 'imap'
      ? [
          `service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = ${port}\n    ssl = yes\n  }\n  service_count = 0\n  process_min_avail = 2\n}`,
          `service imap {\n  service_count = 0\n  process_limit = 20000\n}`,
        ]
      : ['mail_fsync = always', `service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  process_min_avail = 2\n}`]),
  ].join('\n'));
  const child = spawn('dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    try {
      if (protocol === 'lmtp') await lmtpGreets(port);
      else (await Session.open(port)).close();
      return { child, target: { port, passwords: all.map(() => password) } };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Dovecot did not start: ${readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-2000)}`);
}

/** Both peers on a fresh temp directory; `stop` ends them and removes it. */
export async function startPeers(options: { posternNodeArgs?: string[]; dnsRecords?: DnsRecords; dovecot?: 'imap' | 'lmtp' } = {}): Promise<{ dir: string; postern: Peer; dovecot: Peer; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-bench-'));
  // Dovecot's unprivileged processes read the passwd file and the mail home under it.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'postern'));
  mkdirSync(join(dir, 'dovecot'), { mode: 0o755 });
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const postern = await startPostern(join(dir, 'postern'), options.posternNodeArgs, options.dnsRecords);
    children.push(postern.child);
    const dovecot = await startDovecot(join(dir, 'dovecot'), join(dir, 'postern', 'tls'), [], options.dovecot);
    children.push(dovecot.child);
    return { dir, postern, dovecot, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A minimal IMAP client session over TLS. */
export class Session {
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

  /** Sends a command; resolves to everything received up to its tagged OK. */
  async command(tag: string, text: string): Promise<string> {
    this.socket.write(`${tag} ${text}\r\n`);
    const reply = await this.until(new RegExp(`^${tag} (OK|NO|BAD).*\\r\\n`, 'm'));
    if (!new RegExp(`^${tag} OK`, 'm').test(reply)) throw new Error(`${text.split(' ')[0]} failed: ${reply.slice(-200)}`);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }
}
