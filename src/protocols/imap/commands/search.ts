// SEARCH and UID SEARCH with CHARSET UTF-8 (or US-ASCII) and CONDSTORE's MODSEQ; the matching
// that SORT and THREAD share.
import { parseCriteria, matches, needsContent, prepareTarget, SearchSyntaxError, usesModseq, type Criterion, type SearchTarget } from '../searchCriteria.ts';
import type { SelectedMailbox } from '../selected.ts';
import { ImapError, type ImapSession } from '../session.ts';
import type { Token } from '../tokens.ts';
import { formatSequenceSet } from '../sequence.ts';
import { atom, bad, list, selectedMailbox, selectedState, text, type CommandSpec } from './args.ts';

const charsets = ['UTF-8', 'US-ASCII'];

export function checkCharset(token: Token | undefined): void {
  const charset = text(token, 'charset').toUpperCase();
  if (!charsets.includes(charset)) throw new ImapError('NO', 'Unsupported charset', `BADCHARSET (${charsets.join(' ')})`);
}

export function criteria(tokens: Token[]): Criterion {
  try {
    return parseCriteria(tokens, (t) => text(t));
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw bad(err.message);
    throw err;
  }
}

/** The messages matching `criterion`, in mailbox order; with headers loaded when `withHeaders`. */
export async function matching(session: ImapSession, mailbox: SelectedMailbox, criterion: Criterion, withHeaders = false): Promise<SearchTarget[]> {
  if (usesModseq(criterion)) session.enableCondstore();
  let need = needsContent(criterion);
  if (withHeaders && need === 'none') need = 'headers';
  const maxSeq = mailbox.messages.length;
  const maxUid = maxSeq ? mailbox.messages[maxSeq - 1].uid : 0;
  const found: SearchTarget[] = [];
  const snapshot = mailbox.messages.slice();
  for (let i = 0; i < snapshot.length; i++) {
    const target: SearchTarget = { seq: i + 1, maxSeq, maxUid, message: snapshot[i], recent: mailbox.recent.has(snapshot[i].uid) };
    if (need !== 'none') {
      const raw = await session.ctx.backend.readMessage(session.accountId!, mailbox.id, target.message.uid);
      if (!raw) continue;
      await prepareTarget(target, raw, need);
    }
    if (matches(criterion, target)) found.push(target);
  }
  return found;
}

const returnOptions = ['MIN', 'MAX', 'ALL', 'COUNT'];

/** ESEARCH's "RETURN (…)" (RFC 4731, also in SORT by RFC 5267): null when absent, ALL when empty. */
export function parseReturn(tokens: Token[]): { options: Set<string> | null; rest: Token[] } {
  if (tokens[0]?.kind !== 'atom' || tokens[0].value.toUpperCase() !== 'RETURN') return { options: null, rest: tokens };
  const options = list(tokens[1], 'RETURN options').map((t) => atom(t, 'RETURN option').toUpperCase());
  for (const o of options) if (!returnOptions.includes(o)) throw bad(`unknown RETURN option ${o.slice(0, 20)}`);
  return { options: new Set(options.length ? options : ['ALL']), rest: tokens.slice(2) };
}

/** The ESEARCH response for results in their order (mailbox order, or sort order for SORT). */
export function esearchLine(tag: string, uid: boolean, found: SearchTarget[], options: Set<string>, withModseq: boolean): string {
  const n = (t: SearchTarget) => (uid ? t.message.uid : t.seq);
  let out = `* ESEARCH (TAG ${JSON.stringify(tag)})${uid ? ' UID' : ''}`;
  const returned: SearchTarget[] = [];
  if (found.length) {
    if (options.has('MIN')) returned.push(found[0]), (out += ` MIN ${n(found[0])}`);
    if (options.has('MAX')) returned.push(found[found.length - 1]), (out += ` MAX ${n(found[found.length - 1])}`);
    if (options.has('ALL')) out += ` ALL ${formatSequenceSet(found.map(n))}`;
  }
  if (options.has('COUNT')) out += ` COUNT ${found.length}`;
  // RFC 7162 §3.1.5: the highest modseq of what was returned (all matches unless only MIN/MAX).
  const counted = options.has('ALL') || options.has('COUNT') ? found : returned;
  if (withModseq && counted.length) out += ` MODSEQ ${Math.max(...counted.map((t) => t.message.modseq))}`;
  return out + '\r\n';
}

export const SEARCH: CommandSpec = {
  states: selectedState,
  async run({ session, tag, args, uid }) {
    const mailbox = selectedMailbox(session);
    const { options, rest } = parseReturn(args);
    let tokens = rest;
    if (tokens[0]?.kind === 'atom' && tokens[0].value.toUpperCase() === 'CHARSET') {
      checkCharset(tokens[1]);
      tokens = tokens.slice(2);
    }
    const criterion = criteria(tokens);
    const found = await matching(session, mailbox, criterion);
    if (options) {
      await session.writeChunks([esearchLine(tag, uid, found, options, usesModseq(criterion))]);
      return undefined;
    }
    const highest = found.reduce((max, t) => Math.max(max, t.message.modseq), 0);
    const suffix = usesModseq(criterion) && found.length ? ` (MODSEQ ${highest})` : '';
    await session.writeChunks([`* SEARCH${found.map((t) => ' ' + (uid ? t.message.uid : t.seq)).join('')}${suffix}\r\n`]);
    return undefined;
  },
};
