import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { blobIdOf } from '../mail/blobIds.ts';
import type { BlobStore } from '../mail/types.ts';
import type { Kysely } from 'kysely';
import { compiledStatement } from './compiledQuery.ts';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';
import './mailTables.ts';

const validId = (id: string) => /^[0-9a-f]{64}$/.test(id);

/** Blob ids asked about in one query by the sweep. */
const sweepBatch = 500;

async function fsyncDir(path: string): Promise<void> {
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Files under `<root>/ab/<sha256>`: written to a temp file, fsynced, renamed, directory fsynced.
 * Stores written before kept them under `<root>/ab/cd/<sha256>`: read and swept there too. One
 * level of 256 directories: with two, most deliveries to a young store created a directory (and
 * synced its parent) besides the file.
 */
export function fileBlobStore(root: string): BlobStore {
  const tmp = join(root, 'tmp');
  const pathOf = (id: string) => join(root, id.slice(0, 2), id);
  const formerPathOf = (id: string) => join(root, id.slice(0, 2), id.slice(2, 4), id);
  /** Directories known to exist: this store never removes one. */
  const present = new Set<string>();

  async function ensureDir(dir: string): Promise<void> {
    if (present.has(dir)) return;
    try {
      await fs.access(dir);
    } catch {
      await ensureDir(dirname(dir));
      await fs.mkdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      await fsyncDir(dirname(dir));
    }
    present.add(dir);
  }

  const readOrNone = (path: string) =>
    fs.readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });

  return {
    async put(data, _until, id = blobIdOf(data)) {
      const path = pathOf(id);
      const now = new Date();
      // Already stored: refresh its time so that a sweep running now leaves it alone.
      const refreshed = await fs.utimes(path, now, now).then(() => true, () => false);
      if (refreshed) return id;
      await ensureDir(tmp);
      const temp = join(tmp, `${id}.${randomBytes(6).toString('hex')}`);
      const handle = await fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await ensureDir(dirname(path));
      await fs.rename(temp, path);
      await fsyncDir(dirname(path));
      return id;
    },
    async get(id) {
      if (!validId(id)) return undefined;
      return (await readOrNone(pathOf(id))) ?? readOrNone(formerPathOf(id));
    },
    async sweep(before, referenced) {
      let removed = 0;
      const old = async (path: string) => (await fs.stat(path).catch(() => undefined))?.mtime.getTime() ?? Infinity;
      const list = (dir: string) => fs.readdir(dir).catch(() => [] as string[]);
      for (const temp of await list(tmp)) {
        if ((await old(join(tmp, temp))) < before.getTime()) await fs.rm(join(tmp, temp), { force: true });
      }
      // Names and times only, asked about a batch at a time.
      let stale: string[] = [];
      const drop = async () => {
        const kept = await referenced(stale.map((path) => basename(path)));
        for (const path of stale) {
          // Checked again last: a delivery of the same bytes refreshes the time before it commits its row.
          if (kept.has(basename(path)) || (await old(path)) >= before.getTime()) continue;
          await fs.rm(path, { force: true });
          removed++;
        }
        stale = [];
      };
      const visit = async (dir: string) => {
        for (const name of await list(dir)) {
          if (validId(name)) {
            if ((await old(join(dir, name))) < before.getTime()) stale.push(join(dir, name));
          } else if (/^[0-9a-f]{2}$/.test(name)) await visit(join(dir, name));
          if (stale.length >= sweepBatch) await drop();
        }
      };
      for (const a of await list(root)) if (/^[0-9a-f]{2}$/.test(a)) await visit(join(root, a));
      if (stale.length > 0) await drop();
      return removed;
    },
  };
}

const blobAdded = compiledStatement((db: Kysely<Database>, id: string, data: Buffer, size: number, now: number) =>
  db
    .insertInto('blobs')
    .values({ id, data, size, touched_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ touched_at: eb.ref('excluded.touched_at') }))),
);

const blobData = compiledStatement((db: Kysely<Database>, id: string) => db.selectFrom('blobs').select('data').where('id', '=', id));

/** A `blobs` table: for several nodes sharing one PostgreSQL, and small messages on one node (mixedBlobStore). */
export function databaseBlobStore(store: Store): BlobStore {
  const { db } = store;
  return {
    async put(data, until = 'durable', id = blobIdOf(data)) {
      // Stored already (rare: the same bytes again): only its time is refreshed, so that a sweep running now leaves it alone.
      await blobAdded(db, id, data, data.length, Date.now());
      // Committed is durable on PostgreSQL; SQLite's log is synced here (concurrent puts share one sync).
      if (until === 'durable') await store.durable();
      return id;
    },
    async get(id) {
      const [r] = await blobData(db, id);
      return r && Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    },
    async sweep(before, referenced) {
      let removed = 0;
      let after = '';
      for (;;) {
        const ids = (await db.selectFrom('blobs').select('id').where('touched_at', '<', before.getTime()).where('id', '>', after).orderBy('id').limit(sweepBatch).execute()).map((r) => r.id);
        if (ids.length === 0) return removed;
        after = ids[ids.length - 1];
        const kept = await referenced(ids);
        const unused = ids.filter((id) => !kept.has(id));
        if (unused.length === 0) continue;
        const r = await db.deleteFrom('blobs').where('id', 'in', unused).where('touched_at', '<', before.getTime()).executeTakeFirst();
        removed += Number(r.numDeletedRows);
      }
    },
  };
}

/**
 * Where a single node keeps message bytes (POSTERN_BLOB_STORE=files): up to `maxInDatabase` bytes
 * in the database's `blobs` table, larger ones as files. Most mail is small: its bytes then go into
 * the log that storing the message syncs anyway, instead of a new file, its fsync and its
 * directory's (SQLite reads and writes blobs of this size faster than the file system does, larger
 * ones slower). Blobs are read from either: files written by earlier versions stay where they are.
 */
export function mixedBlobStore(database: BlobStore, files: BlobStore, maxInDatabase: number): BlobStore {
  return {
    put: (data, until, id) => (data.length <= maxInDatabase ? database.put(data, until, id) : files.put(data, until, id)),
    async get(id) {
      return (await database.get(id)) ?? files.get(id);
    },
    async sweep(before, referenced) {
      return (await database.sweep(before, referenced)) + (await files.sweep(before, referenced));
    },
  };
}
