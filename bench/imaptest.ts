// Dovecot's imaptest against Postern and Dovecot in the same run: the scripted compliance groups
// (passed / failed / skipped for a missing capability) and the stress mix (commands done, errors
// imaptest detected), alternating between the two servers so that load from elsewhere hits both.
// imaptest is built once with ../shared/tools/build-imaptest.sh MIRROR DIR; this script looks in
// $IMAPTEST_DIR (default ~/.cache/imaptest) and skips when it is not there.
// Run: node bench/imaptest.ts [stress seconds per round, default 20] [clients, default 10]
// BENCH_CPU_PROF=DIR writes a CPU profile of Postern (node --cpu-prof) into DIR.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { password, Session, startPeers, type Peer } from './lib/peers.ts';

const imaptestDir = process.env.IMAPTEST_DIR ?? join(homedir(), '.cache', 'imaptest');
const binary = join(imaptestDir, 'src', 'imaptest');
const testsDir = join(imaptestDir, 'src', 'tests');
const seconds = Number(process.argv[2] ?? 20);
const clients = Number(process.argv[3] ?? 10);
const rounds = 2;

function imaptest(peer: Peer, user: string, args: string[]): Promise<string> {
  const child = spawn(binary, [`host=127.0.0.1`, `port=${peer.target.port}`, 'ssl=any-cert', `user=${user}`, `pass=${password(peer.target, user)}`, ...args], {
    env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/dovecot' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(output)));
}

async function capabilities(peer: Peer, user: string): Promise<Set<string>> {
  const s = await Session.open(peer.target.port);
  try {
    await s.command('a', `LOGIN ${user} "${password(peer.target, user)}"`);
    const reply = await s.command('b', 'CAPABILITY');
    return new Set(/^\* CAPABILITY (.*)\r$/m.exec(reply)![1].toUpperCase().split(' '));
  } finally {
    s.close();
  }
}

/** Test groups whose "capabilities:" header names one the server lacks: imaptest skips them without counting. */
function skippedGroups(caps: Set<string>): number {
  let skipped = 0;
  for (const name of readdirSync(testsDir)) {
    const file = join(testsDir, name);
    if (name.endsWith('.mbox') || !statSync(file).isFile()) continue;
    const header = readFileSync(file, 'latin1').split('\n\n')[0];
    const needed = /^capabilities:(.*)$/im.exec(header)?.[1].trim().toUpperCase().split(/\s+/) ?? [];
    if (needed.some((c) => !caps.has(c))) skipped++;
  }
  return skipped;
}

interface Scripted {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

async function scripted(peer: Peer): Promise<Scripted> {
  const user = 'itest@example.edu';
  const output = await imaptest(peer, user, [`test=${testsDir}`]);
  const m = /^(\d+) test groups: (\d+) failed/m.exec(output);
  if (!m) throw new Error(`imaptest gave no summary: ${output.slice(-500)}`);
  const skipped = skippedGroups(await capabilities(peer, user));
  const failures = [...output.matchAll(/^\*\*\* Test (\S+) /gm)].map((f) => f[1]);
  return { passed: Number(m[1]) - Number(m[2]) - skipped, failed: Number(m[2]), skipped, failures: [...new Set(failures)] };
}

interface Stress {
  commands: number;
  errors: number;
}

/**
 * The messages the stress mix appends: plain, multipart with an attachment, threads, Chinese
 * subjects; each with its own Message-ID, which imaptest uses to tell messages apart.
 */
function stressMbox(count = 100): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const headers = [
      `From: Sender ${i % 7} <sender${i % 7}@example.edu>`,
      `To: bench@example.edu${i % 3 ? '' : ', Other <other@example.org>'}`,
      `Subject: ${i % 4 ? `message ${i} about topic ${i % 10}` : `=?UTF-8?B?${Buffer.from(`季度报告 ${i}`).toString('base64')}?=`}`,
      `Message-ID: <stress-${i}@example.edu>`,
      ...(i % 5 ? [] : [`References: <stress-${i - 5}@example.edu>`]),
      `Date: ${new Date(Date.UTC(2026, 0, 1 + (i % 28), i % 24)).toUTCString().replace('GMT', '+0000')}`,
      'MIME-Version: 1.0',
    ];
    const text = `${'Line of text in the body. '.repeat(3 + (i % 20))}\n`.repeat(1 + (i % 8));
    let body: string;
    if (i % 3 === 0) {
      headers.push('Content-Type: multipart/mixed; boundary="b"');
      const attachment = Buffer.alloc(200 + i * 40, i).toString('base64').replace(/.{76}/g, '$&\n');
      body = `--b\nContent-Type: text/plain; charset=utf-8\n\n${text}\n--b\nContent-Type: application/octet-stream; name="f${i}.bin"\nContent-Transfer-Encoding: base64\n\n${attachment}\n--b--\n`;
    } else {
      headers.push('Content-Type: text/plain; charset=us-ascii');
      body = text;
    }
    out.push(`From sender@example.edu Thu Jan  1 00:00:00 2026\n${headers.join('\n')}\n\n${body}\n`);
  }
  return out.join('');
}

/** One stress round: imaptest's default command mix, appending from `mbox`. */
async function stress(peer: Peer, mbox: string): Promise<Stress> {
  const output = await imaptest(peer, 'stress@example.edu', [`mbox=${mbox}`, `secs=${seconds}`, `clients=${clients}`]);
  const totals = /^Totals:\n.*\n.*\n.*\n\s*([\d ]+)$/m.exec(output);
  if (!totals) throw new Error(`imaptest stress gave no totals: ${output.slice(-500)}`);
  const errors = output.split('\n').filter((l) => l.startsWith('Error: ')).length;
  return { commands: totals[1].trim().split(/\s+/).reduce((n, v) => n + Number(v), 0), errors };
}

async function main(): Promise<void> {
  if (!existsSync(binary)) {
    console.log(`imaptest is not built: skipped (build it with ../shared/tools/build-imaptest.sh MIRROR DIR, then IMAPTEST_DIR=DIR; looked in ${imaptestDir})`);
    return;
  }
  const profileDir = process.env.BENCH_CPU_PROF;
  const { dir, postern, dovecot, stop } = await startPeers({ posternNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  try {
    const [p, d] = [await scripted(postern), await scripted(dovecot)];
    console.log(`imaptest scripted groups (passed / failed / skipped for a missing capability):`);
    console.log(`Postern: ${p.passed} / ${p.failed} / ${p.skipped}${p.failures.length ? `  failing: ${p.failures.join(' ')}` : ''}`);
    console.log(`Dovecot: ${d.passed} / ${d.failed} / ${d.skipped}${d.failures.length ? `  failing: ${d.failures.join(' ')}` : ''}`);
    console.log(`goal: Postern 0 failed and passed >= Dovecot's: ${p.failed === 0 && p.passed >= d.passed ? 'met' : 'NOT met'}`);
    const mbox = join(dir, 'imaptest.mbox');
    writeFileSync(mbox, stressMbox());
    const totals = { postern: { commands: 0, errors: 0 }, dovecot: { commands: 0, errors: 0 } };
    for (let i = 0; i < rounds; i++) {
      for (const [name, peer] of [['postern', postern], ['dovecot', dovecot]] as const) {
        const r = await stress(peer, mbox);
        totals[name].commands += r.commands;
        totals[name].errors += r.errors;
      }
    }
    const ratio = totals.postern.commands / totals.dovecot.commands;
    console.log(`imaptest stress, default mix, ${clients} clients over TLS, ${rounds} x ${seconds} s each in alternating rounds:`);
    console.log(`Postern: ${totals.postern.commands} commands, ${totals.postern.errors} errors  Dovecot: ${totals.dovecot.commands} commands, ${totals.dovecot.errors} errors  ratio: ${ratio.toFixed(2)}x (goal >= 1.0x, 0 errors)`);
  } finally {
    await stop();
  }
}

await main();
