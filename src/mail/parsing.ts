// What is computed once from a message's bytes, in a worker thread (workerPool.ts): at delivery its
// summary and MIME structure; for the full-text index, later, its words.
import { blobIdOf } from './blobIds.ts';
import { messageTokens } from './searchTokens.ts';
import { parseStructure, structureJson } from './structure.ts';
import { summarize } from './summary.ts';
import type { MessageSummary } from './types.ts';
import { runInWorker } from './workerPool.ts';

export interface ParsedMessage {
  /** Without the body text and Bcc, which only the index words need. */
  summary: MessageSummary;
  /** As stored with the message (structure.ts). */
  structureJson: string;
  /** The id its bytes are stored under: hashed here, not on the thread that stores them. */
  blobId: string;
}

/** The parse itself, on the calling thread. */
export async function parseHere(raw: Buffer): Promise<ParsedMessage> {
  const structure = parseStructure(raw);
  const { bodyText, bcc, ...summary } = summarize(raw, structure, true);
  return { summary, structureJson: structureJson(structure), blobId: blobIdOf(raw) };
}

// A message delivered to several mailboxes (each recipient, the sender's Sent) is the same buffer
// each time, and an inbound one was parsed by the worker that checked it (inboundCheck.ts).
const parses = new WeakMap<Buffer, Promise<ParsedMessage>>();

/** Parses `raw` in a worker, once per buffer; never rejects (summarize keeps unparsable mail with an empty summary). */
export function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  let parsed = parses.get(raw);
  if (!parsed) parses.set(raw, (parsed = runInWorker({ kind: 'parse' }, raw, () => parseHere(raw))));
  return parsed;
}

/** `parsed` is what parsing `raw` gives: found elsewhere, for the same bytes. */
export function knownParse(raw: Buffer, parsed: ParsedMessage): void {
  parses.set(raw, Promise.resolve(parsed));
}

/** The full-text index words of a message with the fields they are in, on the calling thread. */
export async function indexWordsHere(raw: Buffer): Promise<[string, number][]> {
  return [...messageTokens(summarize(raw))];
}

/** The index words of `raw`, computed in a worker. */
export function indexWords(raw: Buffer): Promise<[string, number][]> {
  return runInWorker({ kind: 'words' }, raw, () => indexWordsHere(raw));
}
