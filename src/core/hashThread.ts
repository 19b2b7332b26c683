// A thread of hashThreads.ts: one argon2id derivation per message, in the order they come. The
// next one starts as this one ends, without waiting for the main thread to hand it over.
import { argon2Sync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { HashJob, HashReply } from './hashThreads.ts';

const port = parentPort!;
port.on('message', ({ id, parameters }: HashJob) => {
  try {
    port.postMessage({ id, hash: argon2Sync('argon2id', parameters) } satisfies HashReply);
  } catch (err) {
    port.postMessage({ id, failed: err instanceof Error ? err.message : String(err) } satisfies HashReply);
  }
});
