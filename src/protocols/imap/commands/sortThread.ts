// SORT (RFC 5256, with SORT=DISPLAY of RFC 5957) and THREAD=ORDEREDSUBJECT / REFERENCES.
import { decodeWords } from '../../../mail/headerValues.ts';
import { addresses, type HeaderField } from '../../../mail/structure.ts';
import { compareText, imapSubject, messageIds, threadByOrderedSubject, threadByReferences, type ThreadInput, type ThreadNode } from '../../../mail/threading.ts';
import { ImapError } from '../session.ts';
import { atom, bad, list, selectedMailbox, selectedState, type CommandSpec } from './args.ts';
import { usesModseq, type SearchTarget } from '../searchCriteria.ts';
import { answerWithReturn, parseReturn } from './esearch.ts';
import { checkCharset, criteria, matching } from './search.ts';

const header = (t: SearchTarget, name: string) => t.headers!.find((f) => f.name === name)?.value ?? '';
const rawHeader = (t: SearchTarget, name: string) => t.rawHeaders!.find((f: HeaderField) => f.name === name)?.value;

function sentDate(t: SearchTarget): number {
  const parsed = Date.parse(header(t, 'date'));
  return Number.isNaN(parsed) ? t.message.internalDate.getTime() : parsed;
}

/** The first address as ENVELOPE has it: a group counts by its name (as Dovecot sorts). */
function firstAddress(t: SearchTarget, field: string) {
  return addresses(rawHeader(t, field))?.[0] ?? null;
}

type Key = (t: SearchTarget) => string | number;
const keys: Record<string, Key> = {
  ARRIVAL: (t) => t.message.internalDate.getTime(),
  DATE: sentDate,
  SIZE: (t) => t.message.size,
  SUBJECT: (t) => imapSubject(header(t, 'subject')).base,
  FROM: (t) => (firstAddress(t, 'from')?.mailbox ?? '').toUpperCase(),
  TO: (t) => (firstAddress(t, 'to')?.mailbox ?? '').toUpperCase(),
  CC: (t) => (firstAddress(t, 'cc')?.mailbox ?? '').toUpperCase(),
  DISPLAYFROM: (t) => display(firstAddress(t, 'from')),
  DISPLAYTO: (t) => display(firstAddress(t, 'to')),
};

function display(a: ReturnType<typeof firstAddress>): string {
  if (!a) return '';
  const name = a.name ? decodeWords(a.name) : '';
  return (name || (a.host === null ? a.mailbox ?? '' : `${a.mailbox}@${a.host}`)).toUpperCase();
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' ? a - (b as number) : compareText(a, b as string);
}

type Order = { key: Key; reverse: boolean }[];

/** Sorted by the keys in turn, ties in mailbox order (RFC 5256). */
function sortTargets(found: SearchTarget[], order: Order): SearchTarget[] {
  const values = new Map(found.map((t) => [t, order.map((o) => o.key(t))]));
  return found.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const c = compare(values.get(a)![i], values.get(b)![i]);
      if (c) return order[i].reverse ? -c : c;
    }
    return a.seq - b.seq;
  });
}

export const SORT: CommandSpec = {
  states: selectedState,
  async run({ session, tag, args: all, uid }) {
    const mailbox = selectedMailbox(session);
    const { options, rest: args } = parseReturn(all);
    if (args.length < 3) throw bad('SORT needs criteria, a charset and search keys');
    const order: Order = [];
    let reverse = false;
    for (const token of list(args[0], 'sort criteria')) {
      const name = atom(token, 'sort key').toUpperCase();
      if (name === 'REVERSE') {
        reverse = true;
        continue;
      }
      if (!keys[name]) throw bad(`unknown sort key ${name.slice(0, 20)}`);
      order.push({ key: keys[name], reverse });
      reverse = false;
    }
    if (!order.length || reverse) throw bad('invalid sort criteria');
    checkCharset(args[1]);
    const criterion = criteria(args.slice(2));
    const sorted = async () => sortTargets(await matching(session, mailbox, criterion, true), order);
    if (options) return answerWithReturn(session, { tag, uid, options, withModseq: usesModseq(criterion), sorted: true }, sorted);
    const found = await sorted();
    await session.writeChunks([`* SORT${found.map((t) => ' ' + (uid ? t.message.uid : t.seq)).join('')}\r\n`]);
    return undefined;
  },
};

function threadInput(t: SearchTarget, byUid: boolean): ThreadInput {
  const references = messageIds(header(t, 'references'));
  return {
    id: byUid ? t.message.uid : t.seq,
    messageId: messageIds(header(t, 'message-id'))[0] ?? null,
    references: references.length ? references : messageIds(header(t, 'in-reply-to')).slice(0, 1),
    date: sentDate(t),
    subject: header(t, 'subject'),
  };
}

/** "1 2 (3)(4 5)": a single child follows its parent, several are each parenthesised. */
function serializeThread(node: ThreadNode): string {
  const children = node.children.length === 1 && node.id !== null ? serializeThread(node.children[0]) : node.children.map((c) => `(${serializeThread(c)})`).join('');
  if (node.id === null) return children;
  return children ? `${node.id} ${children}` : String(node.id);
}

const algorithms: Record<string, (m: ThreadInput[]) => ThreadNode[]> = { REFERENCES: threadByReferences, ORDEREDSUBJECT: threadByOrderedSubject };
export const threadAlgorithms = Object.keys(algorithms);

export const THREAD: CommandSpec = {
  states: selectedState,
  async run({ session, args, uid }) {
    const mailbox = selectedMailbox(session);
    if (args.length < 3) throw bad('THREAD needs an algorithm, a charset and search keys');
    const algorithm = algorithms[atom(args[0], 'thread algorithm').toUpperCase()];
    if (!algorithm) throw new ImapError('BAD', 'unknown thread algorithm');
    checkCharset(args[1]);
    const found = await matching(session, mailbox, criteria(args.slice(2)), true);
    const threads = algorithm(found.map((t) => threadInput(t, uid)));
    await session.writeChunks([`* THREAD ${threads.map((t) => `(${serializeThread(t)})`).join('')}\r\n`]);
    return undefined;
  },
};
