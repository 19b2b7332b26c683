// Password hashes on threads of their own, one per core, each with its own queue. Hashed on libuv's
// pool instead, a finished hash's core waited for the main thread to start the next one, and that
// thread, busy with the requests around the hashes, left the cores idle for 5-8% of a run of
// sign-ins. More at a time than cores would only share them, thrashing the caches with 19 MiB each.
import { argon2, type Argon2Parameters } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';

export interface HashJob {
  id: number;
  parameters: Argon2Parameters;
}
export type HashReply = { id: number; hash: Uint8Array } | { id: number; failed: string };

interface Job {
  parameters: Argon2Parameters;
  resolve(hash: Buffer): void;
  reject(err: Error): void;
}

interface HashThread {
  worker: Worker;
  pending: Map<number, Job>;
}

const size = availableParallelism();
const threads: HashThread[] = [];
const argon2Here = promisify(argon2);
let nextId = 0;

/** Hashes here, on libuv's pool: for the jobs of a thread that failed. */
const here = (job: Job) => argon2Here('argon2id', job.parameters).then(job.resolve, job.reject);

function start(): HashThread {
  const worker = new Worker(new URL('./hashThread.ts', import.meta.url));
  const t: HashThread = { worker, pending: new Map() };
  // Without hashes to do it does not keep the process alive (a finished CLI command or test).
  worker.unref();
  worker.on('message', (m: HashReply) => {
    const job = t.pending.get(m.id);
    t.pending.delete(m.id);
    if (t.pending.size === 0) worker.unref();
    if ('failed' in m) job?.reject(new Error(m.failed));
    else job?.resolve(Buffer.from(m.hash.buffer, m.hash.byteOffset, m.hash.byteLength));
  });
  // A thread that fails is replaced at the next hash; what it held is hashed here.
  const fail = () => {
    const i = threads.indexOf(t);
    if (i >= 0) threads.splice(i, 1);
    for (const job of t.pending.values()) void here(job);
    t.pending.clear();
  };
  worker.once('error', fail);
  worker.once('exit', fail);
  threads.push(t);
  return t;
}

/** An idle thread (a new one while there are fewer than cores), else the one with the shortest queue. */
function pick(): HashThread {
  const idle = threads.find((t) => t.pending.size === 0);
  if (idle) return idle;
  if (threads.length < size) return start();
  return threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
}

/** argon2id of `parameters`, on a hash thread. */
export function argon2id(parameters: Argon2Parameters): Promise<Buffer> {
  const t = pick();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    t.pending.set(id, { parameters, resolve, reject });
    t.worker.ref();
    t.worker.postMessage({ id, parameters } satisfies HashJob);
  });
}
