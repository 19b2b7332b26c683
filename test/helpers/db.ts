import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A fresh PostgreSQL schema, migrated; `cleanup` drops it. */
export async function postgresStore(): Promise<{ store: Store; schema: string; cleanup(): Promise<void> }> {
  const schema = `postern_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const store = await openStore({ databaseUrl: testPostgresUrl, schema });
  await migrate(store);
  return {
    store,
    schema,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA "${schema}" CASCADE`);
      await c.end();
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
