import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, isCompilable, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Compilable, type CompiledQuery, type Transaction } from 'kysely';
import type { Atomic } from '../core/ports.ts';
import pg from 'pg';
import type { Database } from './schema.ts';
import { sqliteAdapter } from './sqliteAdapter.ts';
import { faultTolerantPool } from './connectionFaults.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  /** Joins the transaction of `atomic.run` in progress, if any. */
  db: Kysely<Database>;
  atomic: Atomic;
  dialect: Dialect;
  /** PostgreSQL: the schema in use; the migrator must look for its tables there only. */
  schema?: string;
  close(): Promise<void>;
  /** Makes every committed write durable before accepted mail is acknowledged (PostgreSQL commits already are). */
  durable(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; absent means SQLite in dataDir. */
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL schema to use (tests use a fresh one per run). */
  schema?: string;
  /** Told of every lost or refused database connection (PostgreSQL); the store recovers by itself. */
  onConnectionFault?: (err: Error) => void;
}

// bigint columns hold epoch milliseconds and counters, all far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** pg's message, with its code when the message does not already say it (AggregateError of ECONNREFUSED has none). */
function reason(err: Error): string {
  const code = (err as { code?: string }).code;
  const message = err.message || (err instanceof AggregateError ? err.errors.map((e: Error) => e.message).join('; ') : '');
  return code && !message.includes(code) ? `${code}: ${message}` : message || String(code ?? err);
}

/** libpq's default when the URL names no user is the OS user; pg reads only $USER, often unset in services. */
function withDefaultUser(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.username) url.username = process.env.PGUSER || userInfo().username;
  return url.toString();
}

/**
 * The store's `db`, which every repository shares: inside `atomic.run` each query on it (and on a
 * `transaction()` it opens) goes through that one transaction, so a change, its audit event and the
 * side effects reporting it commit together without the repositories knowing.
 */
function joinable(base: Kysely<Database>, executeQuery?: Kysely<Database>['executeQuery']): { db: Kysely<Database>; atomic: Atomic } {
  const current = new AsyncLocalStorage<{ trx: Transaction<Database>; committed: (() => void)[]; done: boolean }>();
  const bound = new Map<PropertyKey, unknown>();
  const db = new Proxy(base, {
    get(target, prop) {
      // Work started inside a transaction that outlives it (a listener's) goes on without it.
      const scope = current.getStore();
      if (scope && !scope.done) {
        if (prop === 'transaction') return () => ({ execute: <T>(fn: (trx: Transaction<Database>) => Promise<T>) => fn(scope.trx) });
        const value = Reflect.get(scope.trx, prop, scope.trx) as unknown;
        return typeof value === 'function' ? value.bind(scope.trx) : value;
      }
      if (prop === 'executeQuery' && executeQuery) return executeQuery;
      if (bound.has(prop)) return bound.get(prop);
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value.bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
  const atomic: Atomic = {
    async run(fn) {
      const open = current.getStore();
      if (open && !open.done) return fn();
      const scope = { trx: undefined as unknown as Transaction<Database>, committed: [] as (() => void)[], done: false };
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await base.transaction().execute((trx) => {
          scope.trx = trx;
          return current.run(scope, fn);
        });
      } finally {
        scope.done = true;
      }
      // Outside the finished transaction's scope: what they start must not use it.
      current.exit(() => {
        for (const f of scope.committed) f();
      });
      return result;
    },
    afterCommit(fn) {
      const scope = current.getStore();
      if (scope && !scope.done) scope.committed.push(fn);
      else fn();
    },
  };
  return { db, atomic };
}

/** Opens SQLite (default) or PostgreSQL and checks that it answers. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: withDefaultUser(options.databaseUrl),
      max: 10,
      connectionTimeoutMillis: 5000,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // The first fault keeps pg's own words (ECONNREFUSED, "password authentication failed", …): the
    // start-up error must say why, not only that the database is unavailable.
    let starting = true;
    let firstFault: Error | undefined;
    const onFault = (err: Error) => {
      if (starting) firstFault ??= err;
      options.onConnectionFault?.(err);
    };
    const { db, atomic } = joinable(new Kysely<Database>({ dialect: new PostgresDialect({ pool: faultTolerantPool(pool, onFault) }) }));
    let schema: string;
    try {
      schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema;
    } catch (err) {
      await db.destroy();
      throw new StoreError(`POSTERN_DATABASE_URL: cannot connect to PostgreSQL (${reason(firstFault ?? (err as Error))})`);
    }
    starting = false;
    return { db, atomic, dialect: 'postgres', schema, close: () => db.destroy(), durable: async () => {} };
  }
  const file = join(options.dataDir ?? './data', 'postern.sqlite');
  let adapter: ReturnType<typeof sqliteAdapter>;
  try {
    adapter = sqliteAdapter(file);
    adapter.raw.prepare('select count(*) from sqlite_master').get();
  } catch (err) {
    throw new StoreError(`${file}: cannot open the SQLite database (${(err as Error).message}); restore it from a backup or move it away`);
  }
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: adapter }) });
  const { db, atomic } = joinable(kysely, directQueries(adapter, kysely));
  const close = async () => {
    await db.destroy();
    await adapter.closed();
  };
  return { db, atomic, dialect: 'sqlite', close, durable: () => adapter.syncLog() };
}

/**
 * SQLite runs a query already compiled (store/compiledQuery.ts: every signed-in request's) at once
 * when no transaction is open: Kysely's way to the one connection (its lock, executor, a chain of
 * promises) costs as much as the query itself. While a transaction is open, this caller's or
 * another's, the query waits for the connection as any other does, so it neither joins a
 * transaction it is not part of nor reads rows not yet committed.
 */
function directQueries(adapter: ReturnType<typeof sqliteAdapter>, kysely: Kysely<Database>): Kysely<Database>['executeQuery'] {
  return (async (query: CompiledQuery | Compilable) => {
    if (adapter.raw.isTransaction || isCompilable(query)) return kysely.executeQuery(query);
    const statement = adapter.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }) as Kysely<Database>['executeQuery'];
}

const migrationFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Runs every pending migration in src/store/migrations (ordered by file name). */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    // Without a schema Kysely finds its migration tables in any schema, so a database holding other
    // Postern schemas (parallel tests, several instances) would skip creating them here.
    migrationTableSchema: store.schema,
    // Branches land migrations in any order; each one stands alone.
    allowUnorderedMigrations: true,
    provider: new FileMigrationProvider({ fs, path: { join }, migrationFolder }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError(`migration ${failed} failed: ${(error as Error).message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** `now` as stored: epoch milliseconds. */
export const ms = (d: Date): number => d.getTime();
