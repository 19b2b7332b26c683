// Admin account search (SPEC X5): a page of 50 accounts by address prefix, and the next page by
// cursor, over 1 000 and 100 000 generated accounts, on SQLite and on PostgreSQL. The search is an
// index range on the address, so the time per page should stay in the same order as the table grows.
// Goal: time per page at the largest size < 3× the time at the smallest, on both databases.
// Run: node bench/account-search.ts   (BENCH_ACCOUNTS=1000,100000  BENCH_SEARCH_MS=3000  BENCH_PG_URL=postgres://127.0.0.1/test; BENCH_PG_URL=off skips PostgreSQL)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { accountSearch } from '../src/store/adminQueries.ts';
import { migrate, openStore, type Store } from '../src/store/db.ts';

const sizes = (process.env.BENCH_ACCOUNTS ?? '1000,100000').split(',').map(Number);
const ms = Number(process.env.BENCH_SEARCH_MS ?? 3000);
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://127.0.0.1/test';
const names = ['zhang', 'wang', 'li', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const domains = ['bench.edu', 'mail.bench.edu'];

/** `count` accounts beyond those already there, inserted in batches (no argon2: the hash is never checked). */
async function grow(store: Store, from: number, to: number): Promise<void> {
  const now = Date.now();
  for (let start = from; start < to; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(start + 500, to); i++) {
      const domain = domains[i % domains.length];
      const address = `${names[i % names.length]}${i}@${domain}`;
      rows.push({ id: `bench${i}`, address, domain, display_name: address, password_hash: 'x', quota_bytes: 1, created_at: now, updated_at: now });
    }
    await store.db.insertInto('accounts').values(rows).execute();
  }
}

/** Pages per second of "first page for a random prefix, then the next page by cursor". */
async function measure(store: Store, size: number, duration = ms): Promise<{ perPageMs: number; pages: number }> {
  const search = accountSearch(store.db, store.dialect);
  let pages = 0;
  const started = performance.now();
  while (performance.now() - started < duration) {
    // A name: 62 matches at 1 000 accounts, 6 250 at 100 000, so every page below is full at both
    // sizes and the sizes compare the same work (a first page, then a page from a cursor).
    const prefix = names[Math.floor(Math.random() * names.length)];
    const first = await search.search({ prefix, limit: 51 });
    const next = await search.search({ prefix, after: first[24].address, limit: 26 });
    if (first.length !== 51 || next.length !== 26) throw new Error(`short page for ${prefix}: ${first.length}, ${next.length}`);
    pages += 2;
  }
  return { perPageMs: (performance.now() - started) / pages, pages };
}

async function run(label: string, open: () => Promise<Store>, cleanup: () => Promise<void>): Promise<void> {
  const store = await open();
  try {
    await migrate(store);
    await store.db.insertInto('domains').values(domains.map((name) => ({ name, created_at: Date.now() }))).execute();
    const results: { size: number; perPageMs: number; pages: number }[] = [];
    let have = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const seeding = performance.now();
      await grow(store, have, size);
      have = size;
      if (store.dialect === 'postgres') await sql`analyze accounts`.execute(store.db);
      process.stdout.write(`${label}: ${size} accounts seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
      await measure(store, size, Math.min(ms, 300)); // warm-up
      results.push({ size, ...(await measure(store, size)) });
    }
    for (const r of results) process.stdout.write(`${label}: ${r.size} accounts  ${(r.perPageMs * 1000).toFixed(0)} µs per page (a first page of 50, then 25 from a cursor; ${r.pages} pages)\n`);
    const ratio = results.at(-1)!.perPageMs / results[0].perPageMs;
    process.stdout.write(`${label}: ${results.at(-1)!.size} vs ${results[0].size} accounts: ${ratio.toFixed(2)}× the time per page (goal < 3×)\n`);
  } finally {
    await store.close();
    await cleanup();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'postern-bench-search-'));
await run('SQLite', () => openStore({ dataDir: dir }), async () => rmSync(dir, { recursive: true, force: true }));
if (pgUrl !== 'off') {
  const schema = `bench_search_${process.pid}`;
  const admin = await openStore({ databaseUrl: pgUrl });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await run('PostgreSQL', () => openStore({ databaseUrl: pgUrl, schema }), async () => {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
    await admin.close();
  });
}
