// IMAP login throughput, Postern against Dovecot measured in the same run: TLS connect, LOGIN
// (an app password for Postern, a passwd-file user for Dovecot), SELECT INBOX, LOGOUT — per second,
// printed as a ratio. Then the RSS of Postern holding 10 000 idle logged-in IMAP connections.
// Needs root and `apt-get install -y dovecot-imapd`. Run: node bench/imap-login.ts [seconds]
import { readFileSync } from 'node:fs';
import { compare } from './lib/compare.ts';
import { Session, startPeers, users, type Peer, type Target } from './lib/peers.ts';

const seconds = Number(process.argv[2] ?? 10);
const workers = 16;
const idleConnections = 10_000;

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
  const { postern, dovecot, stop } = await startPeers();
  try {
    const side = (peer: Peer) => ({ pid: peer.child.pid!, cycle: (w: number) => loginCycle(peer.target, w) });
    for (const peer of [postern, dovecot]) for (let i = 0; i < users.length; i++) await loginCycle(peer.target, i);
    const [p, d] = await compare([side(postern), side(dovecot)], workers, seconds);
    console.log(`connect+LOGIN+SELECT+LOGOUT over TLS, ${workers} clients, ${seconds} s each in alternating rounds`);
    console.log(`Postern: ${p.rate.toFixed(1)}/s  Dovecot: ${d.rate.toFixed(1)}/s  ratio: ${(p.rate / d.rate).toFixed(2)}x (goal >= 1.5x)`);
    // On a shared machine the rate also reflects other load; server CPU per login does not.
    console.log(`server CPU per login: Postern ${p.cpuMs.toFixed(2)} ms  Dovecot ${d.cpuMs.toFixed(2)} ms  efficiency ratio: ${(d.cpuMs / p.cpuMs).toFixed(2)}x`);
    const rss = await holdIdle(postern.target, postern.child.pid!);
    console.log(`Postern RSS holding ${idleConnections} idle logged-in IMAP connections: ${rss.toFixed(0)} MiB (goal < 1024 MiB)`);
  } finally {
    await stop();
  }
}

await main();
