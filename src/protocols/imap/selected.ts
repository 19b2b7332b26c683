// A session's view of its selected mailbox. Other sessions' changes queue up here and reach the
// client only at the points RFC 3501 §5.2/§7.4.1 allow: EXPUNGE never while a FETCH, STORE or
// SEARCH (by sequence number) is answered, and never outside a command.
import type { MailboxChange, MailboxSnapshot, MessageMeta } from './backend.ts';
import { inSequenceSet, type SequenceSet } from './sequence.ts';

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
  #pending: MailboxChange[] = [];

  constructor(snapshot: MailboxSnapshot, readOnly: boolean) {
    this.id = snapshot.id;
    this.name = snapshot.name;
    this.readOnly = readOnly;
    this.uidValidity = snapshot.uidValidity;
    this.messages = snapshot.messages.slice();
    this.uidNext = snapshot.uidNext;
    this.highestModseq = snapshot.highestModseq;
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
  }

  /** Applies a flag change; returns the message index, or -1 when gone or already known. */
  applyFlags(uid: number, flags: string[], modseq: number): number {
    const i = this.indexOfUid(uid);
    if (i < 0 || this.messages[i].modseq >= modseq) return -1;
    this.messages[i] = { ...this.messages[i], flags, modseq };
    this.highestModseq = Math.max(this.highestModseq, modseq);
    return i;
  }

  /** Removes a message from the view; returns the EXPUNGE line or '' when it was not there. */
  applyExpunge(uid: number): string {
    const i = this.indexOfUid(uid);
    if (i < 0) return '';
    this.messages.splice(i, 1);
    return `* ${i + 1} EXPUNGE\r\n`;
  }

  /** Untagged lines for the queued changes; expunges wait in the queue when not allowed. */
  flush(allowExpunge: boolean, withModseq: boolean): string {
    let out = '';
    let added = false;
    const kept: MailboxChange[] = [];
    const flagged = new Set<number>();
    for (const change of this.#pending) {
      if (change.type === 'exists') {
        for (const message of change.messages) {
          // Already in the snapshot when the change raced the SELECT.
          if (message.uid < this.uidNext) continue;
          this.messages.push(message);
          added = true;
          this.uidNext = message.uid + 1;
          this.highestModseq = Math.max(this.highestModseq, message.modseq);
        }
      } else if (change.type === 'flags') {
        if (this.applyFlags(change.uid, change.flags, change.modseq) >= 0) flagged.add(change.uid);
      } else if (allowExpunge) {
        for (const uid of change.uids) out += this.applyExpunge(uid);
      } else {
        kept.push(change);
      }
    }
    this.#pending = kept;
    if (added) out += `* ${this.messages.length} EXISTS\r\n`;
    for (const uid of flagged) {
      const i = this.indexOfUid(uid);
      if (i >= 0) out += this.fetchFlagsLine(i, withModseq);
    }
    return out;
  }

  fetchFlagsLine(index: number, withModseq: boolean): string {
    const m = this.messages[index];
    return `* ${index + 1} FETCH (UID ${m.uid} FLAGS ${flagList(m.flags)}${withModseq ? ` MODSEQ (${m.modseq})` : ''})\r\n`;
  }
}
