// How messages group into threads, for JMAP threadId and IMAP THREAD=REFERENCES alike: by the
// message ids a message refers to (References, In-Reply-To) and by its base subject (RFC 5256 §2.1).
import type { ThreadSource } from './types.ts';

const leader = /^(?:(?:re|fwd?|aw|sv|antw|回复|答复|转发)\s*(?:\[[^\]]*\])?\s*[:：]|\[[^\]]*\])\s*/i;
const trailer = /\s*\(fwd\)\s*$/i;
const fwdWrap = /^\[fwd:\s*(.*)\]$/i;

/** The subject with reply/forward prefixes, list tags and `(fwd)` trailers removed, lower-cased. */
export function baseSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (;;) {
    const before = s;
    while (trailer.test(s)) s = s.replace(trailer, '');
    for (;;) {
      const next = s.replace(leader, '');
      // A bare [tag] is kept when nothing would be left (RFC 5256 subj-blob rule).
      if (next === s || next === '') break;
      s = next;
    }
    const wrapped = fwdWrap.exec(s);
    if (wrapped) s = wrapped[1].trim();
    if (s === before) return s.toLowerCase();
  }
}

/** Message ids in a References or In-Reply-To value, in order, without the angle brackets. */
export function messageIds(value: string): string[] {
  return [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
}

/**
 * The keys under which a message's thread is looked up, strongest first: the ids it refers to,
 * its own id, then its base subject. The first key already known gives the thread.
 */
export function threadKeys(m: ThreadSource): string[] {
  const ids = [...m.references.slice().reverse(), ...(m.messageId ? [m.messageId.replace(/^<|>$/g, '')] : [])];
  const subject = baseSubject(m.subject);
  return [...new Set(ids.map((id) => `m:${id}`)), ...(subject ? [`s:${subject}`] : [])];
}
