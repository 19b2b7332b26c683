// A worker thread of src/mail/workerPool.ts: does the jobs it is sent, one reply each, and asks
// the pool for the DNS lookups a job needs.
import { parentPort } from 'node:worker_threads';
import type { DnsResolve } from '../core/ports.ts';
import { authenticateHere, type AuthenticateOptions } from './mailAuth.ts';
import { indexWordsHere, parseHere } from './parsing.ts';
import type { LookupAnswer, WorkerReply } from './workerPool.ts';

const port = parentPort!;
const lookups = new Map<number, { resolve(records: unknown[]): void; reject(err: Error): void }>();
let nextLookup = 0;

/** DNS through the main thread, with the resolver's own errors (ENOTFOUND, ETIMEOUT...) and codes. */
const resolverOf = (id: number): DnsResolve => (name, rrtype) =>
  new Promise((resolve, reject) => {
    const lookup = nextLookup++;
    lookups.set(lookup, { resolve, reject });
    port.postMessage({ id, lookup, name, rrtype } satisfies WorkerReply);
  });

const jobs: Record<string, (raw: Buffer, options: unknown, id: number) => Promise<unknown>> = {
  parse: (raw) => parseHere(raw),
  words: (raw) => indexWordsHere(raw),
  authenticate: (raw, options, id) => authenticateHere(raw, options as AuthenticateOptions, resolverOf(id)),
};

port.on('message', (m: { id: number; kind: string; options?: unknown; raw: Uint8Array } | LookupAnswer) => {
  if ('lookup' in m) {
    const waiting = lookups.get(m.lookup);
    lookups.delete(m.lookup);
    if (m.error) waiting?.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else waiting?.resolve(m.records ?? []);
    return;
  }
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  jobs[m.kind](raw, m.options, m.id).then(
    (result) => port.postMessage({ id: m.id, result } satisfies WorkerReply),
    (err: unknown) => port.postMessage({ id: m.id, failed: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
  );
});
port.postMessage({ ready: true } satisfies WorkerReply);
