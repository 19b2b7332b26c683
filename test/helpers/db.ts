import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { migrate, openStore, type Store } from '../../src/store/db.ts';

export const testPostgresUrl = process.env.POSTERN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated SQLite store in a temp dir. */
export async function sqliteStore(): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-test-'));
  const store = await openStore({ dataDir: dir });
  await migrate(store);
  return { store, dir, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * Test files run in parallel processes, each with its own schema. Kysely's migrator reads the
 * catalogue of every schema, which fails while another process drops one; so schema DDL and
 * migrations take turns under one advisory lock.
 */
export async function withSchemaLock<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727001)');
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL schema, migrated; `cleanup` drops it. */
export async function postgresStore(): Promise<{ store: Store; schema: string; cleanup(): Promise<void> }> {
  const schema = `postern_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const store = await withSchemaLock(async (client) => {
    await client.query(`CREATE SCHEMA "${schema}"`);
    const opened = await openStore({ databaseUrl: testPostgresUrl, schema });
    await migrate(opened);
    return opened;
  });
  return {
    store,
    schema,
    async cleanup() {
      await store.close();
      await withSchemaLock((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
    },
  };
}

/**
 * Runs the same suite on SQLite and on PostgreSQL; `getStore()` returns the suite's store.
 * Suite names say which database ran, so the test output shows both.
 */
export function forEachDatabase(title: string, suite: (getStore: () => Store) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, () => {
      let store: Store;
      let cleanup: () => Promise<void>;
      before(async () => {
        ({ store, cleanup } = kind === 'sqlite' ? await sqliteStore() : await postgresStore());
      });
      after(async () => cleanup());
      suite(() => store);
    });
  }
}

/** A fresh PostgreSQL database of its own (tests that kill or cut every connection to it); dropped afterwards. */
export async function withPostgresDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `postern_db_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(testPostgresUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
