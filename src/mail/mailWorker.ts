// A worker thread of src/mail/workerPool.ts: does the jobs it is sent, one reply each, and asks
// the pool for the DNS lookups a job needs.
import { parentPort } from 'node:worker_threads';
import type { DnsResolve } from '../core/ports.ts';
import { belowMainThread } from '../threadPriority.ts';
import { checkInboundHere, type InboundJob } from './inboundCheck.ts';
import { loadMailauth } from './mailAuth.ts';
import { indexWordsHere, parseHere } from './parsing.ts';
import { lendRoom } from './sharedBytes.ts';
import type { JobMessage, LookupAnswer, WorkerReply } from './workerPool.ts';

const port = parentPort!;
belowMainThread();
const lookups = new Map<number, { resolve(records: unknown[]): void; reject(err: Error): void }>();
let nextLookup = 0;

// Answers are kept a few seconds, by resolver: mail comes in runs from the same domains, and each
// lookup asked of the main thread waits there behind the deliveries it is busy with. Records and
// "no such name or record" are kept; failures (a timeout, SERVFAIL) are asked again next time.
const keptMs = 10_000;
const keptAnswers = 10_000;
const kept = new Map<string, { until: number; answer: Promise<unknown[]> }>();
const lasting = (code: string | undefined) => code === 'ENOTFOUND' || code === 'ENODATA';

/** DNS through the main thread, with the resolver's own errors (ENOTFOUND, ETIMEOUT...) and codes. */
const ask = (id: number, name: string, rrtype: string): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    const lookup = nextLookup++;
    lookups.set(lookup, { resolve, reject });
    port.postMessage({ id, lookup, name, rrtype } satisfies WorkerReply);
  });

const resolverOf = (id: number, resolver: number | undefined): DnsResolve => (name, rrtype) => {
  if (resolver === undefined) return ask(id, name, rrtype);
  const key = `${resolver} ${rrtype} ${name.toLowerCase()}`;
  const now = Date.now();
  // Each check gets a copy, the first one too: the checks may change what they are given.
  const copy = (answer: Promise<unknown[]>) => answer.then((records) => structuredClone(records));
  const hit = kept.get(key);
  if (hit && hit.until > now) return copy(hit.answer);
  const answer = ask(id, name, rrtype);
  kept.delete(key);
  if (kept.size >= keptAnswers) kept.delete(kept.keys().next().value!);
  kept.set(key, { until: now + keptMs, answer });
  answer.catch((err: NodeJS.ErrnoException) => {
    if (!lasting(err.code) && kept.get(key)?.answer === answer) kept.delete(key);
  });
  return copy(answer);
};

const jobs: Record<string, (raw: Buffer, m: JobMessage) => Promise<unknown>> = {
  parse: (raw) => parseHere(raw),
  words: (raw) => indexWordsHere(raw),
  inbound: (raw, m) => {
    const job = m.options as InboundJob;
    lendRoom(raw, job.room);
    return checkInboundHere(raw, job, resolverOf(m.id, m.resolver));
  },
};

port.on('message', (m: JobMessage | LookupAnswer) => {
  if ('lookup' in m) {
    const waiting = lookups.get(m.lookup);
    lookups.delete(m.lookup);
    if (m.error) waiting?.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else waiting?.resolve(m.records ?? []);
    return;
  }
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  jobs[m.kind](raw, m).then(
    (result) => port.postMessage({ id: m.id, result } satisfies WorkerReply),
    (err: unknown) => port.postMessage({ id: m.id, failed: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
  );
});
// Ready once mailauth has loaded: the first check must not wait for it.
await loadMailauth();
port.postMessage({ ready: true } satisfies WorkerReply);
