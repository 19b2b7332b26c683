// A new message's summary and MIME structure, computed once when it is stored. mailparser takes
// tens of event-loop turns per message, each waiting behind every other connection's work, so
// the parse runs in worker threads (src/mail/parseWorker.ts): one turn here, and the work on
// another core when there is one.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseStructure, structureJson } from './structure.ts';
import { summarize } from './summary.ts';
import type { MessageSummary } from './types.ts';

export interface ParsedMessage {
  summary: MessageSummary;
  /** As stored with the message (structure.ts). */
  structureJson: string;
}

/** The parse itself, on the calling thread. */
export async function parseHere(raw: Buffer): Promise<ParsedMessage> {
  return { summary: await summarize(raw), structureJson: structureJson(parseStructure(raw)) };
}

interface Parser {
  worker: Worker;
  pending: Map<number, { raw: Buffer; resolve: (parsed: ParsedMessage) => void }>;
  idle: NodeJS.Timeout | null;
}

const poolSize = Math.min(2, availableParallelism());
/** A worker holds tens of MiB: one without work for this long ends, and the next parse starts another. */
const idleMs = 10_000;
const parsers: Parser[] = [];
let nextId = 0;

function drop(parser: Parser): void {
  const i = parsers.indexOf(parser);
  if (i >= 0) parsers.splice(i, 1);
}

function start(): Parser {
  const worker = new Worker(new URL('./parseWorker.ts', import.meta.url));
  // Only a worker with work keeps the process alive: an idle one must not hold up a finished CLI command or test.
  worker.unref();
  const parser: Parser = { worker, pending: new Map(), idle: null };
  worker.on('message', ({ id, parsed }: { id: number; parsed: ParsedMessage }) => {
    parser.pending.get(id)?.resolve(parsed);
    parser.pending.delete(id);
    if (parser.pending.size) return;
    worker.unref();
    parser.idle = setTimeout(() => {
      drop(parser);
      void worker.terminate();
    }, idleMs).unref();
  });
  // A worker that fails is replaced at the next parse; what it held is parsed here.
  const fail = () => {
    drop(parser);
    for (const { raw, resolve } of parser.pending.values()) void parseHere(raw).then(resolve);
    parser.pending.clear();
  };
  worker.once('error', fail);
  worker.once('exit', fail);
  parsers.push(parser);
  return parser;
}

/** Parses `raw` in the least busy worker; never rejects (summarize keeps unparsable mail with an empty summary). */
export function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const parser = parsers.length < poolSize ? start() : parsers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const id = nextId++;
  return new Promise((resolve) => {
    parser.pending.set(id, { raw, resolve });
    if (parser.idle) clearTimeout(parser.idle);
    parser.idle = null;
    parser.worker.ref();
    // A copy of its own, handed over rather than cloned: `raw` may be a view of a much larger buffer.
    const copy = new Uint8Array(raw);
    parser.worker.postMessage({ id, raw: copy }, [copy.buffer]);
  });
}
