// ESEARCH results (RFC 4731; for SORT, ESORT of RFC 5267): the RETURN options MIN MAX ALL COUNT,
// CONTEXT=SEARCH/SORT's PARTIAL and UPDATE (RFC 5267 §4), and CANCELUPDATE.
import type { SearchTarget } from '../searchCriteria.ts';
import { ResultContext } from '../searchContext.ts';
import { formatSequenceSet } from '../sequence.ts';
import type { ImapSession } from '../session.ts';
import type { Token } from '../tokens.ts';
import { atom, bad, list, selectedMailbox, selectedState, text, type CommandSpec } from './args.ts';

export interface ReturnOptions {
  /** MIN, MAX, ALL, COUNT asked for (ALL when RETURN () names nothing). */
  data: Set<string>;
  /** PARTIAL low:high, 1-based positions in the result. */
  partial: { low: number; high: number } | null;
  update: boolean;
}

const dataOptions = ['MIN', 'MAX', 'ALL', 'COUNT'];
const maxContexts = 8;

function partialRange(token: Token | undefined): ReturnOptions['partial'] {
  const m = /^([1-9]\d{0,9}):([1-9]\d{0,9})$/.exec(atom(token, 'PARTIAL range'));
  if (!m) throw bad('PARTIAL needs a range of positions like 1:100');
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (Math.max(a, b) > 0xffffffff) throw bad('PARTIAL range out of bounds');
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

/** "RETURN (…)" at the start of SEARCH or SORT arguments: null when absent. */
export function parseReturn(tokens: Token[]): { options: ReturnOptions | null; rest: Token[] } {
  if (tokens[0]?.kind !== 'atom' || tokens[0].value.toUpperCase() !== 'RETURN') return { options: null, rest: tokens };
  const items = list(tokens[1], 'RETURN options');
  const options: ReturnOptions = { data: new Set(), partial: null, update: false };
  for (let i = 0; i < items.length; i++) {
    const name = atom(items[i], 'RETURN option').toUpperCase();
    if (dataOptions.includes(name)) options.data.add(name);
    else if (name === 'PARTIAL') options.partial = partialRange(items[++i]);
    else if (name === 'UPDATE') options.update = true;
    // CONTEXT only hints that the client will ask again with PARTIAL; nothing to keep.
    else if (name !== 'CONTEXT') throw bad(`unknown RETURN option ${name.slice(0, 20)}`);
  }
  // RFC 4731: "RETURN ()" means ALL; so does a RETURN that asks for no result data.
  if (!options.data.size && !options.partial && !options.update) options.data.add('ALL');
  return { options, rest: tokens.slice(2) };
}

export const resultNumber = (uid: boolean) => (t: SearchTarget) => (uid ? t.message.uid : t.seq);

/** The ESEARCH response for results in their order (mailbox order, or sort order for SORT). */
export function esearchLine(tag: string, uid: boolean, found: SearchTarget[], options: ReturnOptions, withModseq: boolean): string {
  const n = resultNumber(uid);
  let out = `* ESEARCH (TAG ${JSON.stringify(tag)})${uid ? ' UID' : ''}`;
  const { data, partial } = options;
  const returned: SearchTarget[] = [];
  if (found.length) {
    if (data.has('MIN')) returned.push(found[0]), (out += ` MIN ${n(found[0])}`);
    if (data.has('MAX')) returned.push(found[found.length - 1]), (out += ` MAX ${n(found[found.length - 1])}`);
    if (data.has('ALL')) out += ` ALL ${formatSequenceSet(found.map(n))}`;
  }
  if (data.has('COUNT')) out += ` COUNT ${found.length}`;
  if (partial) {
    const slice = found.slice(partial.low - 1, partial.high);
    returned.push(...slice);
    out += ` PARTIAL (${partial.low}:${partial.high} ${slice.length ? formatSequenceSet(slice.map(n)) : 'NIL'})`;
  }
  // RFC 7162 §3.1.5: the highest modseq of what was returned (all matches unless only MIN/MAX/PARTIAL).
  const counted = data.has('ALL') || data.has('COUNT') ? found : returned;
  if (withModseq && counted.length) out += ` MODSEQ ${Math.max(...counted.map((t) => t.message.modseq))}`;
  return out + '\r\n';
}

/**
 * Answers a SEARCH or SORT given with RETURN: the ESEARCH line, and with UPDATE a context that
 * reports later changes of the result. Resolves to the tagged OK's text.
 */
export async function answerWithReturn(
  session: ImapSession,
  input: { tag: string; uid: boolean; options: ReturnOptions; withModseq: boolean; sorted: boolean },
  evaluate: () => Promise<SearchTarget[]>,
): Promise<string | undefined> {
  const { tag, uid, options } = input;
  const mailbox = selectedMailbox(session);
  const found = await evaluate();
  await session.writeChunks([esearchLine(tag, uid, found, options, input.withModseq)]);
  if (!options.update) return undefined;
  // Updates of a partial window would need the window's moves told too: refused, as RFC 5267 §4.3.1 allows.
  if (options.partial) return `[NOUPDATE ${JSON.stringify(tag)}] Completed, without updates of a partial result`;
  // Each kept search runs again after every change: a few per selection.
  if (mailbox.contexts.size >= maxContexts && !mailbox.contexts.has(tag)) return `[NOUPDATE ${JSON.stringify(tag)}] Completed, too many searches with updates`;
  mailbox.contexts.set(tag, new ResultContext(tag, uid, input.sorted, found, evaluate));
  return undefined;
}

/** RFC 5267 §4.3.5: stops the updates of the named searches. */
export const CANCELUPDATE: CommandSpec = {
  states: selectedState,
  async run({ session, args }) {
    if (!args.length) throw bad('CANCELUPDATE needs the tags of searches');
    const mailbox = selectedMailbox(session);
    const tags = args.map((t) => text(t, 'tag'));
    for (const tag of tags) if (!mailbox.contexts.has(tag)) throw bad(`no search with updates has the tag ${tag.slice(0, 40)}`);
    for (const tag of tags) mailbox.contexts.delete(tag);
    return undefined;
  },
};
