// App-password verification with 10 000 stored, next to one argon2id verification in the same run.
// Goal: median ≤ 20 µs for the app-password lookup.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { normalizeAppPassword } from '../src/core/appPasswords.ts';
import { hashPassword, verifyPassword } from '../src/core/passwords.ts';

const stored = 10_000;
const samples = 5_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const micros = (ns: bigint) => Number(ns) / 1000;

const dir = mkdtempSync(join(tmpdir(), 'postern-bench-'));
const ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: dir }), { log: pino({ level: 'silent' }) });
try {
  await ctx.accounts.addDomain('bench.test');
  const account = await ctx.accounts.create({ address: 'bench@bench.test', password: 'bench main password' });
  const passwords: string[] = [];
  const letters = () => Array.from(randomBytes(16), (b) => String.fromCharCode(97 + (b % 26))).join('');
  await ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < stored; i++) {
      const password = letters();
      passwords.push(password);
      await trx
        .insertInto('app_passwords')
        .values({ id: `b${i}`, account_id: account.id, name: `client ${i}`, lookup_hash: ctx.appPasswords.lookupHash(password), scopes: 'imap,pop3,smtp', created_at: Date.now(), networks: '', seen_networks: '' })
        .execute();
    }
  });

  // Lookups first: the logins below write (rate-limit counters), which would grow the WAL under them.
  const lookup: number[] = [];
  for (let i = 0; i < samples; i++) {
    const password = passwords[(i * 7919) % stored];
    const t = process.hrtime.bigint();
    const found = await ctx.appPasswords.find(password);
    lookup.push(micros(process.hrtime.bigint() - t));
    if (!found) throw new Error('lookup failed');
  }
  const login: number[] = [];
  for (let i = 0; i < samples / 5; i++) {
    const password = passwords[(i * 7919) % stored];
    const t = process.hrtime.bigint();
    const r = await ctx.authenticateClient({ protocol: 'imap', username: account.address, password, remoteIp: '127.0.0.1' });
    login.push(micros(process.hrtime.bigint() - t));
    if (!r.ok) throw new Error('login failed');
  }
  if (normalizeAppPassword(passwords[0]) !== passwords[0]) throw new Error('normalisation');

  const hash = await hashPassword('bench main password');
  const argon: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await verifyPassword('bench main password', hash);
    argon.push(micros(process.hrtime.bigint() - t));
  }

  const lookupMedian = median(lookup);
  const lines = [
    `app passwords stored:                          ${stored}`,
    `app-password verification (HMAC + lookup), median: ${lookupMedian.toFixed(1)} µs  (goal ≤ 20 µs: ${lookupMedian <= 20 ? 'met' : 'NOT met'})`,
    `whole client login with an app password, median:  ${median(login).toFixed(1)} µs (account lookup and rate-limit counters included)`,
    `argon2id verification (m=19 MiB, t=2), median:     ${median(argon).toFixed(0)} µs`,
    `ratio argon2id / app-password verification:        ${(median(argon) / lookupMedian).toFixed(0)}×`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
