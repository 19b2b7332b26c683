// The words of the full-text index (JMAP Email/query `text`, `subject`, `body`...; SearchSnippet).
// Words of alphabetic scripts are lower-cased NFKC runs of letters and digits; Chinese, Japanese and
// Korean have no spaces between words, so their runs are cut into single characters and bigrams:
// a query of two or more characters is found by its bigrams, one of one character by itself.
import type { MessageSummary } from './types.ts';

/** Which part of a message a word was seen in (bits of the index's `fields` column). */
export const searchField = { subject: 1, from: 2, to: 4, cc: 8, body: 16, bcc: 32 } as const;
export type SearchField = keyof typeof searchField;
export const anyField = Object.values(searchField).reduce((a, b) => a | b, 0);

/** Text beyond this many characters of a body is not indexed (a long mail is found by its start). */
export const indexedBodyChars = 100_000;
const maxWordChars = 64;

const runs = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)|([\p{L}\p{N}\p{M}]+)/gu;
const separators = /[^\p{L}\p{N}\p{M}]+/u;
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const addresses = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

/** The addresses of a text, sought only in its pieces that have an @: over a long mail the pattern would retry at every letter. */
function addressesIn(text: string): string[] {
  if (!text.includes('@')) return [];
  return text.split(/\s+/).filter((piece) => piece.includes('@')).flatMap((piece) => [...piece.matchAll(addresses)].map((m) => m[0]));
}

function cjkTokens(run: string, forQuery: boolean): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const bigrams = chars.slice(1).map((c, i) => chars[i] + c);
  return forQuery ? bigrams : [...chars, ...bigrams];
}

// A word of at most this many UTF-16 units has at most maxWordChars characters: no need to cut it.
const cutWord = (word: string) => (word.length <= maxWordChars ? word : [...word].slice(0, maxWordChars).join(''));

/** The words of a run of letters that has characters beyond ASCII: cut where Unicode says, Chinese into characters and bigrams. */
function addOtherWords(run: string, forQuery: boolean, out: Set<string>): void {
  for (const word of run.split(separators)) {
    if (!word) continue;
    if (!cjk.test(word)) {
      out.add(cutWord(word));
      continue;
    }
    for (const m of word.matchAll(runs)) {
      if (m[1]) for (const t of cjkTokens(m[1], forQuery)) out.add(t);
      else out.add(cutWord(m[2]));
    }
  }
}

// Letters and digits of ASCII (the text is lower-cased already), and anything beyond ASCII, which
// addOtherWords sorts out.
const inRun = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;

function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/**
 * Adds the distinct words of `text` to `out` in the order they first occur. Most mail is mostly
 * ASCII: a 100 KB body has some 15 000 words but a few hundred distinct ones, and making a string of
 * each occurrence to put in a Set cost more than parsing the message. So ASCII words are told apart
 * by a hash over their characters, and only a new one becomes a string.
 */
function addWords(text: string, forQuery: boolean, out: Set<string>): void {
  let size = 1024;
  let table = new Int32Array(size);
  const starts: number[] = [];
  const hashes: number[] = [];
  const otherRuns = new Set<string>();
  const lengths: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (!inRun(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let hash = 0x811c9dc5;
    let ascii = true;
    for (let c: number; i < text.length && inRun((c = text.charCodeAt(i))); i++) {
      if (c >= 128) ascii = false;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    hash ^= hash >>> 15;
    if (!ascii) {
      const run = text.slice(start, i);
      if (!otherRuns.has(run)) {
        otherRuns.add(run);
        addOtherWords(run, forQuery, out);
      }
      continue;
    }
    const length = i - start;
    let slot = hash & (size - 1);
    for (let entry = table[slot] - 1; entry >= 0; entry = table[slot] - 1) {
      if (hashes[entry] === hash && lengths[entry] === length && sameChars(text, starts[entry], start, length)) break;
      slot = (slot + 1) & (size - 1);
    }
    if (table[slot] !== 0) continue;
    starts.push(start);
    lengths.push(length);
    hashes.push(hash);
    table[slot] = starts.length;
    out.add(text.slice(start, start + Math.min(length, maxWordChars)));
    if (starts.length * 2 > size) {
      size *= 2;
      table = new Int32Array(size);
      for (let e = 0; e < hashes.length; e++) {
        let free = hashes[e] & (size - 1);
        while (table[free] !== 0) free = (free + 1) & (size - 1);
        table[free] = e + 1;
      }
    }
  }
}

function tokens(input: string, forQuery: boolean): string[] {
  const text = normalize(input);
  const out = new Set<string>();
  // Whole addresses too: `joe@example.org` finds that sender, not everyone at example.org.
  for (const address of addressesIn(text)) out.add(address.slice(0, 320));
  addWords(forQuery ? text.replace(addresses, ' ') : text, forQuery, out);
  return [...out];
}

/** The distinct index words of a text. */
export const documentTokens = (text: string): string[] => tokens(text, false);

/** The words a query text must all have (empty when it has none, e.g. only punctuation). */
export const queryTokens = (text: string): string[] => tokens(text, true);

/** Every word of a message with the fields it was seen in. */
export function messageTokens(summary: Pick<MessageSummary, 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'preview' | 'bodyText'>): Map<string, number> {
  const out = new Map<string, number>();
  const add = (text: string, field: SearchField) => {
    for (const t of documentTokens(text)) out.set(t, (out.get(t) ?? 0) | searchField[field]);
  };
  add(summary.subject, 'subject');
  add(summary.from, 'from');
  add(summary.to, 'to');
  add(summary.cc, 'cc');
  add(summary.bcc ?? '', 'bcc');
  add((summary.bodyText ?? summary.preview).slice(0, indexedBodyChars), 'body');
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern finding the query's words in original text: whole words, and CJK runs as written. */
export function highlighter(queries: string[]): RegExp | null {
  const parts = new Set<string>();
  for (const q of queries) {
    const text = normalize(q);
    for (const m of text.matchAll(addresses)) parts.add(escapeRegExp(m[0]));
    for (const m of text.replace(addresses, ' ').matchAll(runs)) parts.add(m[1] ? escapeRegExp(m[1]) : `(?<![\\p{L}\\p{N}])${escapeRegExp(m[2])}(?![\\p{L}\\p{N}])`);
  }
  if (parts.size === 0) return null;
  // Longest first, so that a phrase wins over a word inside it.
  return new RegExp([...parts].sort((a, b) => b.length - a.length).join('|'), 'giu');
}

/**
 * RFC 8621 §5: `text` HTML-escaped with its matches in <mark>; cut to `maxBytes` of UTF-8 around the
 * first match when `maxBytes` is given. Null when nothing matches.
 */
export function markMatches(text: string, pattern: RegExp, maxBytes?: number): string | null {
  pattern.lastIndex = 0;
  const first = pattern.exec(text);
  if (!first) return null;
  let start = 0;
  if (maxBytes !== undefined) {
    // Some context before the match, starting at a word where there is one.
    start = Math.max(0, first.index - 40);
    const space = text.lastIndexOf(' ', first.index);
    if (start > 0 && space > start) start = space + 1;
  }
  const marks = (window: string) => {
    let out = '';
    let at = 0;
    pattern.lastIndex = 0;
    for (const m of window.matchAll(pattern)) {
      out += escapeHtml(window.slice(at, m.index)) + '<mark>' + escapeHtml(m[0]) + '</mark>';
      at = m.index + m[0].length;
    }
    return out + escapeHtml(window.slice(at));
  };
  if (maxBytes === undefined) return marks(text);
  const chars = [...text.slice(start)];
  // Grow the window while its escaped, marked form fits (characters, not bytes, are cut).
  let lo = 0;
  let hi = Math.min(chars.length, maxBytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(marks(chars.slice(0, mid).join(''))) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return marks(chars.slice(0, lo).join(''));
}
