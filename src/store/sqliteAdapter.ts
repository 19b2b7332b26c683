import { promises as fs } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { PosternError } from '../core/errors.ts';
import { Lru } from '../memo.ts';

const cachedStatements = 500;
const checkpointIntervalMs = 500;
/** How long a statement waits for another process's write lock (the CLI beside a running server). */
export const busyTimeoutMs = 2000;

// SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included: another writer kept the lock past
// the busy timeout. That is the database being unavailable for now (503, NO [UNAVAILABLE], 451), not a bug.
const isBusy = (err: unknown): boolean => [5, 6].includes(((err as { errcode?: number }).errcode ?? 0) & 0xff);

function busyAsUnavailable<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (isBusy(err)) throw new PosternError('unavailable');
    throw err;
  }
}

/** The better-sqlite3-shaped surface that Kysely's SqliteDialect drives, over node:sqlite. */
export function sqliteAdapter(path: string) {
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  // Commits write the log without waiting for the disk, which would block the event loop for every
  // flag change; what must survive a power cut (accepted mail) is made durable by syncLog, off the loop.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
  // SQLite's default page cache is 2 MiB: a large mailbox's indexes (every message row has ten
  // entries, the word index several) then came from the OS a read() per page on each delivery. The
  // database file is mapped instead (up to 1 GiB), so pages already in the OS cache are read in
  // place, and SQLite's own cache is 16 MiB, not the 64 MiB it was: SQLite parks a page at number
  // PENDING_BYTE/page size + 1 while it reorders the pages of a b-tree it splits, and every commit
  // after that, while the database is under 1 GiB, walks its whole cache to drop that number (perf
  // probes: 134 walks a second under inbound load, 8% of the main thread with 64 MiB).
  db.exec('PRAGMA cache_size = -16384; PRAGMA mmap_size = 1073741824;');
  // Checkpoints run in a worker (checkpointWorker.ts), not inside whichever commit crosses the threshold.
  db.exec('PRAGMA wal_autocheckpoint = 0;');
  const checkpointer = new Worker(new URL('./checkpointWorker.ts', import.meta.url), { workerData: { path, intervalMs: checkpointIntervalMs } });
  checkpointer.unref();
  const checkpointerGone = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
  // Without the worker, commits checkpoint again as SQLite does by default.
  checkpointer.once('error', () => {
    if (db.isOpen) db.exec('PRAGMA wal_autocheckpoint = 1000;');
  });
  let log: Promise<fs.FileHandle> | null = null;
  /** The fsync under way, and the one that callers arriving meanwhile wait for. */
  let syncing: Promise<void> = Promise.resolve();
  let nextSync: Promise<void> | null = null;
  const bind = (params: readonly unknown[]): SQLInputValue[] =>
    params.map((p) => (typeof p === 'boolean' ? Number(p) : (p as SQLInputValue)));
  // Preparing costs more than running a small indexed query: hot statements are kept, the least used dropped first.
  // Rows come as arrays and become objects here, each of a statement the same shape: node:sqlite's
  // own row objects are slower to make and to read (a page of 50 Emails is 1 000 values).
  const cache = new Lru<{ stmt: StatementSync; reader: boolean; asObject(values: unknown[]): Record<string, unknown> }>(cachedStatements);
  const prepared = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      const stmt = db.prepare(sql);
      const names = stmt.columns().map((c) => c.name);
      stmt.setReturnArrays(true);
      const asObject = (values: unknown[]) => {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
        return row;
      };
      entry = { stmt, reader: names.length > 0, asObject };
      cache.set(sql, entry);
    }
    return entry;
  };
  let closed: Promise<void> | null = null;
  return {
    raw: db,
    close: () => {
      checkpointer.postMessage('close');
      // Held until it has ended: else a process whose last work this was would exit first.
      checkpointer.ref();
      db.close();
      // The worker's connection, the last one, removes the log files as it closes: until it has,
      // the data directory is still being written (a caller may be about to remove it).
      closed = Promise.all([checkpointerGone, log?.then((h) => h.close()).catch(() => {})]).then(() => {});
    },
    /** Resolves once close() has let go of every file (the checkpoint worker has ended). */
    closed: () => closed ?? Promise.resolve(),
    /**
     * fsyncs the write-ahead log: every commit so far is durable (checkpoints sync the database
     * file). Callers arriving while a sync runs share the next one, so concurrent deliveries cost
     * one fsync between them, not one each.
     */
    syncLog(): Promise<void> {
      if (nextSync) return nextSync;
      const run = async () => {
        await syncing;
        nextSync = null;
        log ??= fs.open(`${path}-wal`, 'r');
        await (await log).sync();
      };
      const started = run();
      nextSync = started;
      syncing = started.catch(() => {});
      return started;
    },
    prepare(sql: string) {
      const { stmt, reader, asObject } = busyAsUnavailable(() => prepared(sql));
      return {
        reader,
        all: (params: readonly unknown[]) => busyAsUnavailable(() => (stmt.all(...bind(params)) as unknown as unknown[][]).map(asObject)),
        run: (params: readonly unknown[]) => {
          const r = busyAsUnavailable(() => stmt.run(...bind(params)));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        // A stream may still be reading when the same query runs again: it gets a statement of its own.
        iterate: (params: readonly unknown[]) => db.prepare(sql).iterate(...bind(params)),
      };
    },
  };
}
