// A session's view of its selected mailbox. Other sessions' changes queue up here and reach the
// client only at the points RFC 3501 §5.2/§7.4.1 allow: EXPUNGE never while a FETCH, STORE or
// SEARCH (by sequence number) is answered, and never outside a command.
import type { MailboxChange, MailboxSnapshot, MessageMeta } from './backend.ts';
import type { ResultContext } from './searchContext.ts';
import { inSequenceSet, type SequenceSet } from './sequence.ts';

export const systemFlags = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export function flagList(flags: string[]): string {
  return `(${flags.join(' ')})`;
}

export class SelectedMailbox {
  readonly id: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly uidValidity: number;
  messages: MessageMeta[];
  uidNext: number;
  highestModseq: number;
  /** UIDs that are \Recent in this session. */
  readonly recent = new Set<number>();
  /** Keywords the client was told of in FLAGS. */
  readonly keywords = new Set<string>();
  #keywordsChanged = false;
  /** Searches with RETURN (UPDATE), by tag; and whether a flag or a new message may have changed their results. */
  readonly contexts = new Map<string, ResultContext>();
  #contextsStale = false;
  #refreshing: Promise<unknown> = Promise.resolve();
  #pending: MailboxChange[] = [];
  /** One past the highest UID queued or known, and who waits for a UID to arrive. */
  #heardUidNext: number;
  #waiters: { uid: number; resolve: () => void }[] = [];

  constructor(snapshot: MailboxSnapshot, readOnly: boolean) {
    this.id = snapshot.id;
    this.name = snapshot.name;
    this.readOnly = readOnly;
    this.uidValidity = snapshot.uidValidity;
    this.messages = snapshot.messages.slice();
    this.uidNext = snapshot.uidNext;
    this.#heardUidNext = snapshot.uidNext;
    this.highestModseq = snapshot.highestModseq;
    for (const m of this.messages) {
      if (m.uid >= snapshot.firstRecentUid) this.recent.add(m.uid);
      this.#learn(m.flags);
    }
    this.#keywordsChanged = false;
  }

  get exists(): number {
    return this.messages.length;
  }

  indexOfUid(uid: number): number {
    let lo = 0;
    let hi = this.messages.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.messages[mid].uid;
      if (u === uid) return mid;
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The flags as the client sees them: stored ones plus \Recent. */
  flagsOf(m: MessageMeta): string[] {
    return this.recent.has(m.uid) ? [...m.flags, '\\Recent'] : m.flags;
  }

  /** Messages named by a sequence set, with their sequence numbers, in mailbox order. */
  resolve(set: SequenceSet, byUid: boolean): { seq: number; message: MessageMeta }[] {
    const out: { seq: number; message: MessageMeta }[] = [];
    const n = this.messages.length;
    const maxUid = n ? this.messages[n - 1].uid : 0;
    for (let i = 0; i < n; i++) {
      const m = this.messages[i];
      if (byUid ? inSequenceSet(set, m.uid, maxUid) : inSequenceSet(set, i + 1, n)) out.push({ seq: i + 1, message: m });
    }
    return out;
  }

  queue(change: MailboxChange): void {
    this.#pending.push(change);
    if ((change.type !== 'exists' && change.type !== 'sync') || !change.messages.length) return;
    this.#heardUidNext = Math.max(this.#heardUidNext, change.messages[change.messages.length - 1].uid + 1);
    const ready = this.#waiters.filter((w) => w.uid < this.#heardUidNext);
    this.#waiters = this.#waiters.filter((w) => w.uid >= this.#heardUidNext);
    for (const w of ready) w.resolve();
  }

  /** Waits until the change adding `uid` (this session's own APPEND or COPY) has been queued. */
  async waitForUid(uid: number, timeoutMs = 2000): Promise<void> {
    if (uid < this.#heardUidNext) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiters.push({ uid, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  #learn(flags: string[]): void {
    for (const f of flags) {
      if (f.startsWith('\\') || this.keywords.has(f)) continue;
      this.keywords.add(f);
      this.#keywordsChanged = true;
    }
  }

  /** FLAGS and PERMANENTFLAGS, as sent at SELECT and whenever a new keyword appears. */
  flagsLines(): string {
    this.#keywordsChanged = false;
    const flags = [...systemFlags, ...this.keywords];
    return `* FLAGS ${flagList(flags)}\r\n* OK [PERMANENTFLAGS ${this.readOnly ? '()' : flagList([...flags, '\\*'])}] Flags permitted\r\n`;
  }

  /** FLAGS lines when a keyword appeared since the client was last told. */
  newKeywordLines(): string {
    return this.#keywordsChanged ? this.flagsLines() : '';
  }

  /** Applies a flag change; returns the message index, or -1 when gone or already known. */
  applyFlags(uid: number, flags: string[], modseq: number): number {
    const i = this.indexOfUid(uid);
    if (i < 0 || this.messages[i].modseq >= modseq) return -1;
    this.messages[i] = { ...this.messages[i], flags, modseq };
    this.#contextsStale = true;
    this.highestModseq = Math.max(this.highestModseq, modseq);
    this.#learn(flags);
    return i;
  }

  /** Removes a message from the view; returns the EXPUNGE line or '' when it was not there. */
  applyExpunge(uid: number): string {
    const i = this.indexOfUid(uid);
    if (i < 0) return '';
    let out = '';
    for (const context of this.contexts.values()) out += context.expunged(uid, i + 1);
    this.messages.splice(i, 1);
    this.recent.delete(uid);
    return `${out}* ${i + 1} EXPUNGE\r\n`;
  }

  /** ADDTO / REMOVEFROM for the searches with updates whose result changed; one refresh at a time. */
  contextUpdates(): Promise<string> {
    const run = this.#refreshing.then(() => this.#refreshContexts());
    this.#refreshing = run.catch(() => '');
    return run;
  }

  async #refreshContexts(): Promise<string> {
    if (!this.#contextsStale || !this.contexts.size) return '';
    this.#contextsStale = false;
    let out = '';
    for (const context of this.contexts.values()) out += await context.refresh((uid) => this.indexOfUid(uid) + 1);
    return out;
  }

  /** Untagged lines for the queued changes; expunges wait in the queue when not allowed. */
  flush(allowExpunge: boolean, withModseq: boolean): string {
    let out = '';
    let added = false;
    let recent = false;
    const kept: MailboxChange[] = [];
    const flagged = new Set<number>();
    // The client must hear of added messages before an EXPUNGE that may name them.
    const announce = () => {
      if (!added) return;
      out += `* ${this.messages.length} EXISTS\r\n`;
      if (recent) out += `* ${this.recent.size} RECENT\r\n`;
      added = recent = false;
    };
    for (const queued of this.#pending) for (const change of this.#expand(queued)) {
      if (change.type === 'exists') {
        for (const message of change.messages) {
          // Already in the snapshot when the change raced the SELECT.
          if (message.uid < this.uidNext) continue;
          this.messages.push(message);
          this.#contextsStale = true;
          if (change.recent) {
            this.recent.add(message.uid);
            recent = true;
          }
          this.#learn(message.flags);
          added = true;
          this.uidNext = message.uid + 1;
          this.highestModseq = Math.max(this.highestModseq, message.modseq);
        }
      } else if (change.type === 'flags') {
        if (this.applyFlags(change.uid, change.flags, change.modseq) >= 0) flagged.add(change.uid);
      } else if (allowExpunge) {
        announce();
        for (const uid of change.uids) out += this.applyExpunge(uid);
      } else {
        kept.push(change);
      }
    }
    this.#pending = kept;
    announce();
    out = this.newKeywordLines() + out;
    for (const uid of flagged) {
      const i = this.indexOfUid(uid);
      if (i >= 0) out += this.fetchFlagsLine(i, withModseq);
    }
    return out;
  }

  /** A sync as the changes that lead from this view to the stored mailbox, judged when it is applied. */
  #expand(change: MailboxChange): Exclude<MailboxChange, { type: 'sync' }>[] {
    if (change.type !== 'sync') return [change];
    const stored = new Set(change.messages.map((m) => m.uid));
    const gone = this.messages.filter((m) => !stored.has(m.uid)).map((m) => m.uid);
    return [
      ...change.messages.filter((m) => m.uid < this.uidNext).map((m) => ({ type: 'flags' as const, uid: m.uid, flags: m.flags, modseq: m.modseq })),
      { type: 'exists', messages: change.messages.filter((m) => m.uid >= this.uidNext), recent: false },
      ...(gone.length ? [{ type: 'expunge' as const, uids: gone }] : []),
    ];
  }

  fetchFlagsLine(index: number, withModseq: boolean): string {
    const m = this.messages[index];
    return `* ${index + 1} FETCH (UID ${m.uid} FLAGS ${flagList(this.flagsOf(m))}${withModseq ? ` MODSEQ (${m.modseq})` : ''})\r\n`;
  }
}
