// A new message's summary, MIME structure and index words, computed once when it is stored, in a
// worker thread (workerPool.ts).
import { messageTokens } from './searchTokens.ts';
import { parseStructure, structureJson } from './structure.ts';
import { summarize } from './summary.ts';
import type { MessageSummary } from './types.ts';
import { runInWorker } from './workerPool.ts';

export interface ParsedMessage {
  /** Without the body text and Bcc, which only the index words needed. */
  summary: MessageSummary;
  /** As stored with the message (structure.ts). */
  structureJson: string;
  /** The full-text index words with their fields (searchTokens.ts). */
  tokens: [string, number][];
}

/** The parse itself, on the calling thread. */
export async function parseHere(raw: Buffer): Promise<ParsedMessage> {
  const structure = parseStructure(raw);
  const { bodyText, bcc, ...summary } = summarize(raw, structure);
  const tokens = [...messageTokens({ ...summary, bodyText, bcc })];
  return { summary, structureJson: structureJson(structure), tokens };
}

/** Parses `raw` in a worker; never rejects (summarize keeps unparsable mail with an empty summary). */
export function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  return runInWorker({ kind: 'parse' }, raw, () => parseHere(raw));
}
