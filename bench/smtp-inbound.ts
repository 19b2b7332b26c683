// Inbound delivery throughput, Postern against Dovecot measured in the same run: 100 KB messages
// per second, one recipient each, into the store and fsynced before the reply. Postern receives on
// its port-25 server with every check on (SPF, DKIM, DMARC, ARC; DNS answered from fixed records
// of the sending domain); Dovecot delivers by LMTP into Maildir with mail_fsync=always.
// Needs root and `apt-get install -y dovecot-lmtpd`. Run: node bench/smtp-inbound.ts [seconds]
// (BENCH_CPU_PROF=<dir> writes a CPU profile of Postern.)
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { dkimSign } from 'mailauth';
import { smtpClient, type SmtpClient } from '../test/helpers/smtp.ts';
import { compare } from './lib/compare.ts';
import { startPeers, users } from './lib/peers.ts';
import { threadCpuSeconds } from './lib/processes.ts';

const seconds = Number(process.argv[2] ?? 20);
const workers = 8;
const sender = 'newsletter@sender.test';

/** A 100 KB message from an outside domain that signs its mail and publishes SPF and DMARC p=reject. */
async function signedMessage(): Promise<{ message: Buffer; dns: Record<string, { TXT: string[] }> }> {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dns = {
    'sender.test': { TXT: ['v=spf1 ip4:127.0.0.1 -all'] },
    'bench._domainkey.sender.test': { TXT: [`v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`] },
    '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
  };
  const line = 'Quarterly figures, minutes of the meeting and the timetable for next term. ';
  const body = `${line.repeat(Math.ceil((100 * 1024) / line.length))}`.replace(/(.{76})/g, '$1\r\n');
  const message = `From: Newsletter <${sender}>\r\nTo: bench@example.edu\r\nSubject: Weekly newsletter\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <bench@sender.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${body}\r\n`;
  const signData = [{ signingDomain: 'sender.test', selector: 'bench', privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) }];
  const signed = await dkimSign(message, { signatureData: signData } as unknown as Parameters<typeof dkimSign>[1]);
  return { message: Buffer.from(signed.signatures + message), dns };
}

/** One client connection per worker, kept open; `greeting` is EHLO or LHLO. */
function deliverer(port: number, greeting: 'EHLO' | 'LHLO', message: Buffer) {
  const connections = new Map<number, Promise<SmtpClient>>();
  const open = async () => {
    const c = await smtpClient(port);
    const hello = await c.command(`${greeting} bench.sender.test`);
    if (!hello.startsWith('250')) throw new Error(`${greeting}: ${hello}`);
    return c;
  };
  let sequence = 0;
  const expect = (reply: string, code: string, what: string) => {
    if (!reply.startsWith(code)) throw new Error(`${what}: ${reply}`);
  };
  return async (worker: number) => {
    if (!connections.has(worker)) connections.set(worker, open());
    const c = await connections.get(worker)!;
    expect(await c.command(`MAIL FROM:<${sender}>`), '250', 'MAIL');
    expect(await c.command(`RCPT TO:<${users[worker % users.length]}>`), '250', 'RCPT');
    expect(await c.command('DATA'), '354', 'DATA');
    // Each delivery its own bytes, as real mail is: identical ones would be stored once (blob dedup).
    await c.send(Buffer.concat([Buffer.from(`X-Bench-Sequence: ${sequence++}\r\n`), message]));
    await c.send('.\r\n');
    expect(await c.reply(), '250', 'end of DATA');
  };
}

async function main(): Promise<void> {
  const { message, dns } = await signedMessage();
  const profileDir = process.env.BENCH_CPU_PROF;
  const { dir, postern, dovecot, stop } = await startPeers({ dnsRecords: dns, dovecot: 'lmtp', posternNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  // Postern writes the full-text index of new mail after it (src/mail/searchIndexer.ts); it is done
  // before Dovecot's round begins, timed on its own: Dovecot here keeps no full-text index at all.
  const database = new DatabaseSync(join(dir, 'postern', 'postern.sqlite'), { readOnly: true });
  const waiting = database.prepare('select count(*) as n from search_backlog');
  const indexed = async () => {
    while (Number((waiting.get() as { n: number }).n) > 0) await sleep(20);
  };
  try {
    const sides = [
      { pid: postern.child.pid!, cycle: deliverer(postern.target.smtpPort!, 'EHLO', message), settle: indexed },
      { pid: dovecot.child.pid!, cycle: deliverer(dovecot.target.port, 'LHLO', message) },
    ];
    for (const side of sides) for (let w = 0; w < workers; w++) await side.cycle(w);
    await indexed();
    const threadsBefore = threadCpuSeconds(postern.child.pid!);
    const [p, d] = await compare(sides, workers, seconds);
    const threadsAfter = threadCpuSeconds(postern.child.pid!);
    console.log(`inbound delivery of ${(message.length / 1024).toFixed(0)} KB messages, fsynced before the reply, ${workers} connections, ${seconds} s each in alternating rounds`);
    console.log(`Postern SMTP (SPF+DKIM+DMARC+ARC): ${p.rate.toFixed(1)}/s  Dovecot LMTP: ${d.rate.toFixed(1)}/s  ratio: ${(p.rate / d.rate).toFixed(2)}x (goal >= 1.0x)`);
    console.log(`server CPU per message: Postern ${p.cpuMs.toFixed(2)} ms  Dovecot ${d.cpuMs.toFixed(2)} ms  efficiency ratio: ${(d.cpuMs / p.cpuMs).toFixed(2)}x; machine idle: Postern's rounds ${(p.idle * 100).toFixed(1)}%, Dovecot's ${(d.idle * 100).toFixed(1)}%`);
    // Where Postern's goes: the main thread, the message workers (parse, checks), V8's GC helpers, libuv's pool.
    const split = [...threadsAfter].map(([name, s]) => [name, ((s - (threadsBefore.get(name) ?? 0)) * 1000) / p.units] as const).filter(([, ms]) => ms >= 0.05);
    console.log(`Postern CPU per message by thread, delivery and index together: ${split.map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`).join(', ')}`);
    const both = p.units / (p.units / p.rate + p.settleSeconds);
    console.log(`Postern's full-text index of those messages, written after them: ${((p.settleSeconds * 1000) / p.units).toFixed(2)} ms per message, ${p.settleCpuMs.toFixed(2)} ms CPU; delivered and indexed: ${both.toFixed(1)}/s, ${(both / d.rate).toFixed(2)}x Dovecot's delivery without an index`);
  } finally {
    database.close();
    await stop();
  }
}

await main();
