// SEARCH and UID SEARCH with CHARSET UTF-8 (or US-ASCII) and CONDSTORE's MODSEQ; the matching
// that SORT and THREAD share.
import { parseCriteria, matches, needsContent, prepareTarget, SearchSyntaxError, usesModseq, type Criterion, type SearchTarget } from '../searchCriteria.ts';
import { loadInBatches } from '../loading.ts';
import type { SelectedMailbox } from '../selected.ts';
import { ImapError, type ImapSession } from '../session.ts';
import type { Token } from '../tokens.ts';
import { bad, selectedMailbox, selectedState, text, type CommandSpec } from './args.ts';
import { answerWithReturn, parseReturn } from './esearch.ts';

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
  const targets = mailbox.messages.map((message, i): SearchTarget => ({ seq: i + 1, maxSeq, maxUid, message, recent: mailbox.recent.has(message.uid) }));
  for await (const batch of loadInBatches(session, mailbox.id, targets, { raw: need !== 'none', structure: false })) {
    for (const [target, loaded] of batch) {
      if (!loaded) continue;
      if (need !== 'none') prepareTarget(target, loaded.raw!, need);
      if (matches(criterion, target)) found.push(target);
    }
  }
  return found;
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
    if (options) return answerWithReturn(session, { tag, uid, options, withModseq: usesModseq(criterion), sorted: false }, () => matching(session, mailbox, criterion));
    const found = await matching(session, mailbox, criterion);
    const highest = found.reduce((max, t) => Math.max(max, t.message.modseq), 0);
    const suffix = usesModseq(criterion) && found.length ? ` (MODSEQ ${highest})` : '';
    await session.writeChunks([`* SEARCH${found.map((t) => ' ' + (uid ? t.message.uid : t.seq)).join('')}${suffix}\r\n`]);
    return undefined;
  },
};
