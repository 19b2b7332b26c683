// A worker thread of src/store/sqliteAdapter.ts: copies the write-ahead log into the database file
// (and fsyncs it) every so often on a connection of its own, so that the server's event loop never
// stalls on a checkpoint. PASSIVE: it never waits for, nor blocks, the server's writes.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { belowMainThread } from '../threadPriority.ts';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
belowMainThread();
const db = new DatabaseSync(path);
const timer = setInterval(() => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing now: the next round tries again.
  }
}, intervalMs);
parentPort!.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
