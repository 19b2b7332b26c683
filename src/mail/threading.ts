// How messages group into threads, for JMAP threadId and IMAP THREAD alike (RFC 5256): the base
// subject (§2.1), the message ids a message refers to, ORDEREDSUBJECT and the REFERENCES algorithm
// (Jamie Zawinski's), over plain message facts.
import type { ThreadSource } from './types.ts';

export interface ThreadInput {
  /** What the caller names messages by (IMAP: sequence number or UID). */
  id: number;
  /** Without angle brackets; null when missing. */
  messageId: string | null;
  /** References, or else the first In-Reply-To id, oldest first. */
  references: string[];
  /** Sent date (the internal date when the Date header is missing or invalid), epoch ms. */
  date: number;
  /** Decoded Subject header. */
  subject: string;
}

export interface ThreadNode {
  /** null for a message that is only referred to (a dummy that groups its children). */
  id: number | null;
  children: ThreadNode[];
}

const trailer = /(\s|\(fwd\))+$/i;
const blob = /^\[[^[\]]*\]\s*/;
// "Re:", "Fwd:" and the Chinese clients' 回复/答复/转发, with ASCII or full-width colon.
const leader = /^(\[[^[\]]*\]\s*)*(re|fwd?|aw|sv|antw|回复|答复|转发)\s*(\[[^[\]]*\]\s*)?[:：]\s*/i;

/** RFC 5256 §2.1: the subject without reply/forward prefixes, list tags and "(fwd)"; whether one was removed. */
export function subjectBase(subject: string): { base: string; reply: boolean } {
  let s = subject.replace(/\s+/g, ' ');
  let reply = false;
  for (;;) {
    const before = s;
    s = s.replace(trailer, '');
    if (s !== before) reply = reply || /\(fwd\)/i.test(before.slice(s.length));
    for (;;) {
      const start = s;
      s = s.replace(/^\s+/, '');
      const m = leader.exec(s);
      if (m) {
        s = s.slice(m[0].length);
        reply = true;
      }
      // A bare [tag] is kept when nothing would be left (the subj-blob rule).
      const b = blob.exec(s);
      if (b && s.length > b[0].length) s = s.slice(b[0].length);
      if (s === start) break;
    }
    const fwd = /^\[fwd:(.*)\]$/i.exec(s);
    if (!fwd) break;
    s = fwd[1];
    reply = true;
  }
  return { base: s, reply };
}

/** The base subject lower-cased, as thread keys compare it. */
export function baseSubject(subject: string): string {
  return subjectBase(subject).base.toLowerCase();
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

/** i;unicode-casemap order of RFC 5256 on already case-mapped text: by code point. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The base subject as IMAP compares it (i;unicode-casemap, upper case here). */
export function imapSubject(subject: string): { base: string; reply: boolean } {
  const s = subjectBase(subject);
  return { base: s.base.toUpperCase(), reply: s.reply };
}

interface Container {
  message: ThreadInput | null;
  parent: Container | null;
  children: Container[];
}

function isAncestor(maybe: Container, of: Container): boolean {
  for (let c: Container | null = of; c; c = c.parent) if (c === maybe) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

/** The date a container sorts by: its message's, or for a dummy its first child's (after sorting). */
function sortDate(c: Container): [number, number] {
  if (c.message) return [c.message.date, c.message.id];
  return c.children.length ? sortDate(c.children[0]) : [0, 0];
}

function sortTree(list: Container[]): Container[] {
  for (const c of list) c.children = sortTree(c.children);
  return list.sort((a, b) => {
    const [da, ia] = sortDate(a);
    const [db, ib] = sortDate(b);
    return da - db || ia - ib;
  });
}

function toNodes(list: Container[]): ThreadNode[] {
  return list.map((c) => ({ id: c.message?.id ?? null, children: toNodes(c.children) }));
}

/** Drops dummies without children; promotes a dummy's children unless it would put several at the root. */
function prune(list: Container[], root: boolean): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    if (c.message) out.push(c);
    else if (c.children.length === 0) continue;
    else if (root && c.children.length > 1) out.push(c);
    else for (const child of c.children) out.push(child);
  }
  for (const c of out) for (const child of c.children) child.parent = c;
  return out;
}

/** THREAD=REFERENCES (RFC 5256 §3). */
export function threadByReferences(messages: ThreadInput[]): ThreadNode[] {
  const byId = new Map<string, Container>();
  const container = (id: string): Container => {
    let c = byId.get(id);
    if (!c) byId.set(id, (c = { message: null, parent: null, children: [] }));
    return c;
  };
  const all: Container[] = [];
  for (const message of messages) {
    let own = message.messageId ? byId.get(message.messageId) : undefined;
    if (!own || own.message) {
      // Missing or duplicate Message-ID: the message stands alone under a name of its own.
      own = { message, parent: null, children: [] };
      if (message.messageId && !byId.has(message.messageId)) byId.set(message.messageId, own);
    } else own.message = message;
    all.push(own);
    let previous: Container | null = null;
    for (const ref of message.references) {
      const c = container(ref);
      if (previous && !c.parent && c !== previous && !isAncestor(c, previous)) link(previous, c);
      previous = c;
    }
    // An earlier message's truncated References may have given this one a parent: the last reference wins.
    if (own.parent) {
      own.parent.children = own.parent.children.filter((c) => c !== own);
      own.parent = null;
    }
    if (previous && previous !== own && !isAncestor(own, previous)) link(previous, own);
  }
  const containers = new Set<Container>([...byId.values(), ...all]);
  const roots = prune([...containers].filter((c) => !c.parent), true);
  for (const c of roots) c.parent = null;
  sortTree(roots);
  return toNodes(groupBySubject(roots));
}

function subjectOf(c: Container): { base: string; reply: boolean } | null {
  const m = c.message ?? c.children[0]?.message ?? null;
  return m ? imapSubject(m.subject) : null;
}

/** RFC 5256 §3 step 5: roots with the same base subject are gathered, then everything sorted again. */
function groupBySubject(roots: Container[]): Container[] {
  const table = new Map<string, Container>();
  for (const c of roots) {
    const s = subjectOf(c);
    if (!s || !s.base) continue;
    const old = table.get(s.base);
    if (!old || (!c.message && old.message) || (subjectOf(old)!.reply && !s.reply)) table.set(s.base, c);
  }
  const out: Container[] = [];
  for (const c of roots) {
    const s = subjectOf(c);
    const entry = s && s.base ? table.get(s.base) : undefined;
    if (!entry || entry === c) {
      out.push(c);
      continue;
    }
    if (!entry.message && !c.message) for (const child of [...c.children]) link(entry, child);
    else if (!entry.message) link(entry, c);
    else if (c.message && s!.reply && !subjectOf(entry)!.reply) link(entry, c);
    else {
      // Neither is the other's reply: both go under a new dummy in the entry's place.
      const dummy: Container = { message: null, parent: null, children: [] };
      const at = out.indexOf(entry);
      link(dummy, entry);
      link(dummy, c);
      table.set(s!.base, dummy);
      if (at >= 0) out[at] = dummy;
      else out.push(dummy);
    }
  }
  return sortTree(out.filter((c) => !c.parent));
}

/** THREAD=ORDEREDSUBJECT (RFC 5256 §3): by base subject, each thread's first message the parent of the rest. */
export function threadByOrderedSubject(messages: ThreadInput[]): ThreadNode[] {
  const base = new Map(messages.map((m) => [m, imapSubject(m.subject).base]));
  const sorted = [...messages].sort((a, b) => compareText(base.get(a)!, base.get(b)!) || a.date - b.date || a.id - b.id);
  const threads: { first: ThreadInput; rest: ThreadInput[] }[] = [];
  let current: { base: string; thread: { first: ThreadInput; rest: ThreadInput[] } } | null = null;
  for (const m of sorted) {
    const subject = base.get(m)!;
    if (current && current.base === subject) current.thread.rest.push(m);
    else {
      current = { base: subject, thread: { first: m, rest: [] } };
      threads.push(current.thread);
    }
  }
  threads.sort((a, b) => a.first.date - b.first.date || a.first.id - b.first.id);
  return threads.map((t) => ({ id: t.first.id, children: t.rest.map((m) => ({ id: m.id, children: [] })) }));
}
