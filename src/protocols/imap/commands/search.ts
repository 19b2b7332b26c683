// SEARCH and UID SEARCH with CHARSET UTF-8 (or US-ASCII) and CONDSTORE's MODSEQ.
import { parseCriteria, matches, needsContent, prepareTarget, SearchSyntaxError, usesModseq, type Criterion, type SearchTarget } from '../searchCriteria.ts';
import { ImapError } from '../session.ts';
import type { Token } from '../tokens.ts';
import { bad, selectedMailbox, selectedState, text, type CommandSpec } from './args.ts';

const charsets = ['UTF-8', 'US-ASCII'];

export const SEARCH: CommandSpec = {
  states: selectedState,
  async run({ session, args, uid }) {
    const mailbox = selectedMailbox(session);
    let tokens: Token[] = args;
    if (tokens[0]?.kind === 'atom' && tokens[0].value.toUpperCase() === 'CHARSET') {
      const charset = text(tokens[1], 'charset').toUpperCase();
      if (!charsets.includes(charset)) throw new ImapError('NO', 'Unsupported charset', `BADCHARSET (${charsets.join(' ')})`);
      tokens = tokens.slice(2);
    }
    let criterion: Criterion;
    try {
      criterion = parseCriteria(tokens, (t) => text(t));
    } catch (err) {
      if (err instanceof SearchSyntaxError) throw bad(err.message);
      throw err;
    }
    const withModseq = usesModseq(criterion);
    if (withModseq) session.condstore = true;
    const need = needsContent(criterion);
    const maxSeq = mailbox.messages.length;
    const maxUid = maxSeq ? mailbox.messages[maxSeq - 1].uid : 0;
    const found: number[] = [];
    let highest = 0;
    const snapshot = mailbox.messages.slice();
    for (let i = 0; i < snapshot.length; i++) {
      const target: SearchTarget = { seq: i + 1, maxSeq, maxUid, message: snapshot[i], recent: mailbox.recent.has(snapshot[i].uid) };
      if (need !== 'none') {
        const raw = await session.ctx.backend.readMessage(session.accountId!, mailbox.id, target.message.uid);
        if (!raw) continue;
        await prepareTarget(target, raw, need);
      }
      if (matches(criterion, target)) {
        found.push(uid ? target.message.uid : target.seq);
        highest = Math.max(highest, target.message.modseq);
      }
    }
    const suffix = withModseq && found.length ? ` (MODSEQ ${highest})` : '';
    await session.writeChunks([`* SEARCH${found.map((n) => ' ' + n).join('')}${suffix}\r\n`]);
    return undefined;
  },
};
