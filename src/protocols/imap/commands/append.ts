// APPEND with MULTIAPPEND (RFC 3502: several messages, stored all or none), CATENATE (RFC 4469) and
// BINARY's literal8 (RFC 3516: binary parts are stored base64-encoded).
import type { NewImapMessage } from '../backend.ts';
import { encodeBinaryParts } from '../../../mail/transferEncoding.ts';
import { parseDateTime } from '../imapDate.ts';
import { formatSequenceSet } from '../sequence.ts';
import type { Token } from '../tokens.ts';
import { authenticatedStates, bad, flags, list, mailbox, type CommandSpec } from './args.ts';
import { catenate, parseCatenate, type CatPart } from './catenate.ts';
import { withTryCreate } from './messages.ts';

interface Pending {
  flags: string[];
  internalDate: Date;
  content: Buffer | CatPart[];
}

function parseMessages(tokens: Token[]): Pending[] {
  const out: Pending[] = [];
  let flagValues: string[] | null = null;
  let date: Date | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    let content: Pending['content'];
    if (token.kind === 'list' && flagValues === null && date === null) {
      flagValues = flags(list(token));
      continue;
    } else if (token.kind === 'string' && !token.literal && date === null) {
      date = parseDateTime(token.value.toString('latin1'));
      if (!date) throw bad('invalid date-time');
      continue;
    } else if (token.kind === 'string' && token.literal) {
      if (!token.value.length) throw bad('empty message');
      content = token.binary ? encodeBinaryParts(Buffer.from(token.value)) : Buffer.from(token.value);
    } else if (token.kind === 'atom' && token.value.toUpperCase() === 'CATENATE') {
      content = parseCatenate(tokens[++i]);
    } else throw bad('invalid APPEND argument');
    out.push({ flags: flagValues ?? [], internalDate: date ?? new Date(), content });
    flagValues = null;
    date = null;
  }
  if (!out.length || flagValues || date) throw bad('APPEND needs the message as a literal');
  return out;
}

export const APPEND: CommandSpec = {
  states: authenticatedStates,
  async run({ session, args }) {
    if (args.length < 2) throw bad('APPEND needs a mailbox and a message');
    const name = mailbox(args[0]);
    const pending = parseMessages(args.slice(1));
    const { backend } = session.ctx;
    // A missing mailbox is told as TRYCREATE before any URL is looked at.
    if (pending.some((p) => !Buffer.isBuffer(p.content))) await withTryCreate(backend.locate(session.accountId!, name));
    const messages: NewImapMessage[] = [];
    for (const p of pending) {
      messages.push({ raw: Buffer.isBuffer(p.content) ? p.content : await catenate(session, p.content), flags: p.flags, internalDate: p.internalDate });
    }
    const result = await withTryCreate(backend.append(session.accountId!, name, messages));
    await session.seeOwnAdditions(result.uidValidity, result.uids);
    return `[APPENDUID ${result.uidValidity} ${formatSequenceSet(result.uids)}] APPEND completed`;
  },
};
