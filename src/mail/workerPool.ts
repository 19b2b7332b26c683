// Worker threads for the heavy work on each message: parsing (its structure, summary and index
// words, a millisecond or more of JavaScript for a large message) and the inbound checks (mailauth
// canonicalises and hashes the whole body in JavaScript). Here a job is one turn,
// and the work runs on another core when there is one. A worker's DNS lookups come back here, to
// the resolver the job was given: one resolver per node, with its timeout, and tests' stub ones.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DnsResolve } from '../core/ports.ts';

/** What a worker is asked: `kind` names the work (mailWorker.ts), `raw` the message. */
export interface JobRequest {
  kind: string;
  options?: unknown;
}

/** A job's message to a worker: `resolver` names the job's resolver, whose answers the worker keeps a while (mailWorker.ts). */
export type JobMessage = JobRequest & { id: number; raw: Uint8Array; resolver?: number };

/** Messages a worker sends: a job's result, or a DNS lookup a job needs. */
export type WorkerReply = { ready: true } | { id: number; result: unknown } | { id: number; failed: string } | { id: number; lookup: number; name: string; rrtype: string };
/** A lookup's answer, sent to the worker. */
export type LookupAnswer = { lookup: number; records?: unknown[]; error?: { code?: string; message: string } };

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  /** Does the job on this thread instead, when its worker fails. */
  fallback(): Promise<unknown>;
  resolver?: DnsResolve;
}

interface PooledWorker {
  worker: Worker;
  /** Its modules are loaded: until then jobs are done here rather than wait. */
  ready: boolean;
  loaded: Promise<void>;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | null;
}

// With the main thread, as many threads as cores (at most two workers): on two cores a second
// worker took turns with the first and the main thread for the same cores, and each message cost
// a quarter more CPU (two Posterns in alternating rounds, 100 KB deliveries: 1.25x and 1.19x the
// messages per second with one worker).
const poolSize = Math.max(1, Math.min(2, availableParallelism() - 1));
/** A worker holds tens of MiB: one without work for this long ends, and the next job starts another. */
const idleMs = 10_000;
const workers: PooledWorker[] = [];
let nextId = 0;
const resolverIds = new WeakMap<DnsResolve, number>();
let nextResolverId = 0;
const resolverId = (resolver: DnsResolve): number => {
  let id = resolverIds.get(resolver);
  if (id === undefined) resolverIds.set(resolver, (id = nextResolverId++));
  return id;
};

function drop(w: PooledWorker): void {
  const i = workers.indexOf(w);
  if (i >= 0) workers.splice(i, 1);
}

function lookup(w: PooledWorker, job: Pending | undefined, query: number, name: string, rrtype: string): void {
  const answer = (a: Omit<LookupAnswer, 'lookup'>) => w.worker.postMessage({ lookup: query, ...a } satisfies LookupAnswer);
  if (!job?.resolver) return answer({ error: { code: 'ESERVFAIL', message: 'no resolver' } });
  job.resolver(name, rrtype).then(
    (records) => answer({ records }),
    (err: NodeJS.ErrnoException) => answer({ error: { code: err.code, message: String(err.message) } }),
  );
}

/** Without work: ends after a while, and until then does not keep the process alive (a finished CLI command or test). */
function rest(w: PooledWorker): void {
  w.worker.unref();
  w.idle = setTimeout(() => {
    drop(w);
    void w.worker.terminate();
  }, idleMs).unref();
}

function start(): PooledWorker {
  const worker = new Worker(new URL('./mailWorker.ts', import.meta.url));
  let loaded = () => {};
  const w: PooledWorker = { worker, ready: false, loaded: new Promise((resolve) => (loaded = resolve)), pending: new Map(), idle: null };
  worker.on('message', (m: WorkerReply) => {
    if ('ready' in m) {
      w.ready = true;
      return loaded();
    }
    if ('lookup' in m) return lookup(w, w.pending.get(m.id), m.lookup, m.name, m.rrtype);
    const job = w.pending.get(m.id);
    w.pending.delete(m.id);
    if ('failed' in m) job?.reject(new Error(m.failed));
    else job?.resolve(m.result);
    if (w.pending.size === 0) rest(w);
  });
  // A worker that fails is replaced at the next job; what it held is done here.
  const fail = () => {
    drop(w);
    loaded();
    for (const job of w.pending.values()) job.fallback().then(job.resolve, job.reject);
    w.pending.clear();
  };
  worker.once('error', fail);
  worker.once('exit', fail);
  workers.push(w);
  rest(w);
  return w;
}

/** Starts a worker if none is running, for the jobs of a message about to be received; resolves once one has loaded. */
export function warmWorkers(): Promise<void> {
  return (workers[0] ?? start()).loaded;
}

/** An idle ready worker, else the least busy ready one; a new one is started while the pool has room. */
function pick(): PooledWorker | undefined {
  const ready = workers.filter((w) => w.ready);
  const idle = ready.find((w) => w.pending.size === 0);
  if (idle) return idle;
  if (workers.length < poolSize) start();
  return ready.length ? ready.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)) : undefined;
}

/**
 * Runs a job in a worker, or here while none has loaded yet (that takes a good part of a second:
 * the first message after a quiet spell must not wait for it). Rejects when the job itself failed.
 * `fallback` must do the same work on this thread: it also runs when the worker fails, so a job
 * never fails for the pool's sake.
 */
export function runInWorker<T>(request: JobRequest, raw: Buffer, fallback: () => Promise<T>, resolver?: DnsResolve): Promise<T> {
  const w = pick();
  if (!w) return fallback();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    w.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, fallback, resolver });
    if (w.idle) clearTimeout(w.idle);
    w.idle = null;
    w.worker.ref();
    const message = (bytes: Uint8Array): JobMessage => ({ id, ...request, raw: bytes, ...(resolver ? { resolver: resolverId(resolver) } : {}) });
    if (raw.buffer instanceof SharedArrayBuffer) return w.worker.postMessage(message(raw));
    // Else a copy of its own, handed over rather than cloned: `raw` may be a view of a much larger buffer.
    const copy = new Uint8Array(raw);
    w.worker.postMessage(message(copy), [copy.buffer]);
  });
}
