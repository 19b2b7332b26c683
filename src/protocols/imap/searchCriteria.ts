// SEARCH keys of RFC 3501 §6.4.4 (plus MODSEQ from RFC 7162): parsing into a tree and matching.
import { bodyContent } from '../../mail/bodyContent.ts';
import { decodeWords } from '../../mail/headerValues.ts';
import { addresses, parseHeaderFields, parseStructure, type HeaderField } from '../../mail/structure.ts';
import type { MessageMeta } from './backend.ts';
import { dayOf, parseSearchDate } from './imapDate.ts';
import { inSequenceSet, isSequenceSet, parseSequenceSet, type SequenceSet } from './sequence.ts';
import type { Token } from './tokens.ts';

export type Criterion =
  | { key: 'all' }
  | { key: 'flag'; flag: string; set: boolean }
  | { key: 'recent'; set: boolean }
  | { key: 'header'; field: string; value: string }
  | { key: 'body' | 'text'; value: string }
  | { key: 'date'; on: 'internal' | 'sent'; op: 'before' | 'on' | 'since'; day: number }
  | { key: 'size'; op: 'larger' | 'smaller'; size: number }
  | { key: 'seq' | 'uid'; set: SequenceSet }
  | { key: 'modseq'; modseq: number }
  | { key: 'not'; inner: Criterion }
  | { key: 'or'; a: Criterion; b: Criterion }
  | { key: 'and'; all: Criterion[] };

export class SearchSyntaxError extends Error {}

const flagKeys: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true], DELETED: ['\\Deleted', true], DRAFT: ['\\Draft', true], FLAGGED: ['\\Flagged', true], SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false], UNDELETED: ['\\Deleted', false], UNDRAFT: ['\\Draft', false], UNFLAGGED: ['\\Flagged', false], UNSEEN: ['\\Seen', false],
};
const headerKeys = new Set(['BCC', 'CC', 'FROM', 'SUBJECT', 'TO']);
const dateKeys: Record<string, ['internal' | 'sent', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'], ON: ['internal', 'on'], SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'], SENTON: ['sent', 'on'], SENTSINCE: ['sent', 'since'],
};

/** Reads criteria from tokens; `decode` turns a string argument into text in the search charset. */
export function parseCriteria(tokens: Token[], decode: (t: Token) => string): Criterion {
  let pos = 0;
  const next = (): Token => {
    if (pos >= tokens.length) throw new SearchSyntaxError('missing search argument');
    return tokens[pos++];
  };
  const word = (): string => {
    const t = next();
    if (t.kind !== 'atom') throw new SearchSyntaxError('expected a search key');
    return t.value;
  };
  const str = (): string => {
    const t = next();
    if (t.kind === 'list') throw new SearchSyntaxError('expected a string');
    return decode(t);
  };
  const num = (): number => {
    const w = word();
    if (!/^\d{1,19}$/.test(w)) throw new SearchSyntaxError('expected a number');
    return Number(w);
  };
  const one = (): Criterion => {
    const t = next();
    if (t.kind === 'list') {
      if (!t.items.length) throw new SearchSyntaxError('empty parenthesized search');
      return parseCriteria(t.items, decode);
    }
    if (t.kind !== 'atom') throw new SearchSyntaxError('expected a search key');
    const key = t.value.toUpperCase();
    if (key === 'ALL') return { key: 'all' };
    if (key === 'RECENT' || key === 'OLD') return { key: 'recent', set: key === 'RECENT' };
    if (key === 'NEW') return { key: 'and', all: [{ key: 'recent', set: true }, { key: 'flag', flag: '\\Seen', set: false }] };
    if (flagKeys[key]) return { key: 'flag', flag: flagKeys[key][0], set: flagKeys[key][1] };
    if (key === 'KEYWORD' || key === 'UNKEYWORD') return { key: 'flag', flag: word(), set: key === 'KEYWORD' };
    if (headerKeys.has(key)) return { key: 'header', field: key.toLowerCase(), value: str() };
    if (key === 'HEADER') return { key: 'header', field: str().toLowerCase(), value: str() };
    if (key === 'BODY' || key === 'TEXT') return { key: key.toLowerCase() as 'body' | 'text', value: str() };
    if (dateKeys[key]) {
      const day = parseSearchDate(str());
      if (day === null) throw new SearchSyntaxError('invalid date');
      return { key: 'date', on: dateKeys[key][0], op: dateKeys[key][1], day };
    }
    if (key === 'LARGER' || key === 'SMALLER') return { key: 'size', op: key.toLowerCase() as 'larger' | 'smaller', size: num() };
    if (key === 'UID') return { key: 'uid', set: parseSet(word()) };
    if (key === 'NOT') return { key: 'not', inner: one() };
    if (key === 'OR') return { key: 'or', a: one(), b: one() };
    if (key === 'MODSEQ') {
      // Optional entry name and type ("/flags/\\seen" all): per-flag modseqs are not kept.
      if (tokens[pos]?.kind === 'string') {
        str();
        word();
      }
      return { key: 'modseq', modseq: num() };
    }
    if (isSequenceSet(t.value)) return { key: 'seq', set: parseSet(t.value) };
    throw new SearchSyntaxError(`unknown search key ${key.slice(0, 20)}`);
  };
  const all: Criterion[] = [];
  while (pos < tokens.length) all.push(one());
  if (!all.length) throw new SearchSyntaxError('empty search');
  return all.length === 1 ? all[0] : { key: 'and', all };
}

function parseSet(text: string): SequenceSet {
  try {
    return parseSequenceSet(text);
  } catch (err) {
    throw new SearchSyntaxError((err as Error).message);
  }
}

export function needsContent(c: Criterion): 'none' | 'headers' | 'body' {
  switch (c.key) {
    case 'header': return 'headers';
    case 'date': return c.on === 'sent' ? 'headers' : 'none';
    case 'body': case 'text': return 'body';
    case 'not': return needsContent(c.inner);
    case 'or': return maxNeed([needsContent(c.a), needsContent(c.b)]);
    case 'and': return maxNeed(c.all.map(needsContent));
    default: return 'none';
  }
}

function maxNeed(needs: ('none' | 'headers' | 'body')[]): 'none' | 'headers' | 'body' {
  return needs.includes('body') ? 'body' : needs.includes('headers') ? 'headers' : 'none';
}

export interface SearchTarget {
  seq: number;
  maxSeq: number;
  maxUid: number;
  message: MessageMeta;
  recent: boolean;
  headers?: HeaderField[];
  /** The same fields as the message has them (RFC 2047 words undecoded). */
  rawHeaders?: HeaderField[];
  bodyText?: string;
}

const decodeHeader = (value: string) => decodeWords(Buffer.from(value, 'latin1').toString('utf8'));

/** Loads what matching needs from the raw message: decoded headers and, if asked, body text. */
export function prepareTarget(target: SearchTarget, raw: Buffer, need: 'headers' | 'body'): void {
  const end = raw.indexOf('\r\n\r\n');
  const headerText = raw.toString('latin1', 0, end < 0 ? raw.length : end);
  target.rawHeaders = parseHeaderFields(headerText);
  target.headers = target.rawHeaders.map((f) => ({ name: f.name, value: decodeHeader(f.value) }));
  if (need === 'body') {
    // HTML that is not read as text (the HTML beside a text/plain alternative) is searched in its source.
    const { text, html } = bodyContent(raw, parseStructure(raw).body);
    target.bodyText = `${text}\n${html}`;
  }
}

/** The day a Date header names, as written: RFC 3501 disregards its time and zone. */
function sentDay(value: string): number | null {
  const m = /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})/.exec(value);
  if (m) return parseSearchDate(`${m[1]}-${m[2]}-${m[3]}`);
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : dayOf(parsed);
}

const addressFields = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'reply-to']);

/** Addresses without their comments and spacing, so that FROM user@host finds "user (c)@ host". */
function addressText(value: string): string {
  return (addresses(value) ?? []).map((a) => `${a.name ?? ''} <${a.mailbox ?? ''}@${a.host ?? ''}>`).join(', ');
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

export function matches(c: Criterion, t: SearchTarget): boolean {
  const m = t.message;
  switch (c.key) {
    case 'all': return true;
    case 'recent': return t.recent === c.set;
    case 'flag': return m.flags.some((f) => f.toLowerCase() === c.flag.toLowerCase()) === c.set;
    case 'header': {
      const fields = t.headers!.filter((f) => f.name === c.field);
      if (c.value === '') return fields.length > 0;
      return fields.some((f) => contains(f.value, c.value) || (addressFields.has(f.name) && contains(addressText(f.value), c.value)));
    }
    case 'body': return contains(t.bodyText ?? '', c.value);
    case 'text': return contains(t.bodyText ?? '', c.value) || t.headers!.some((f) => contains(f.value, c.value));
    case 'date': {
      let day: number;
      if (c.on === 'internal') day = dayOf(m.internalDate);
      else {
        const sent = sentDay(t.headers!.find((f) => f.name === 'date')?.value ?? '');
        if (sent === null) return false;
        day = sent;
      }
      return c.op === 'before' ? day < c.day : c.op === 'on' ? day === c.day : day >= c.day;
    }
    case 'size': return c.op === 'larger' ? m.size > c.size : m.size < c.size;
    case 'seq': return inSequenceSet(c.set, t.seq, t.maxSeq);
    case 'uid': return inSequenceSet(c.set, m.uid, t.maxUid);
    case 'modseq': return m.modseq >= c.modseq;
    case 'not': return !matches(c.inner, t);
    case 'or': return matches(c.a, t) || matches(c.b, t);
    case 'and': return c.all.every((x) => matches(x, t));
  }
}

export function usesModseq(c: Criterion): boolean {
  if (c.key === 'modseq') return true;
  if (c.key === 'not') return usesModseq(c.inner);
  if (c.key === 'or') return usesModseq(c.a) || usesModseq(c.b);
  if (c.key === 'and') return c.all.some(usesModseq);
  return false;
}
