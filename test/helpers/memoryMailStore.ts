// An in-memory mail store implementing the IMAP and POP3 backend ports, for protocol tests.
import { BackendError, type CopyResult, type FlagOperation, type ImapBackend, type LoadedMessage, type LoadWanted, type MailboxChange, type MailboxInfo, type MessageMeta, type NewImapMessage, type SpecialUse } from '../../src/protocols/imap/backend.ts';
import { parseStructure } from '../../src/mail/structure.ts';
import type { Pop3Backend } from '../../src/protocols/pop3/backend.ts';

interface StoredMessage extends MessageMeta {
  raw: Buffer;
}

interface Box {
  id: string;
  name: string;
  specialUse?: SpecialUse;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  /** Messages from this UID on are \Recent for the next read-write selection. */
  recentUid: number;
  messages: StoredMessage[];
}

interface Account {
  boxes: Map<string, Box>;
  /** Subscribed names whose mailbox was deleted. */
  orphans: Set<string>;
  modseq: number;
}

let nextId = 1;

export class MemoryMailStore implements ImapBackend, Pop3Backend {
  readonly accounts = new Map<string, Account>();
  readonly #listeners = new Map<string, Set<{ fn: (c: MailboxChange) => void; readWrite: boolean }>>();

  account(accountId: string): Account {
    let a = this.accounts.get(accountId);
    if (!a) {
      a = { boxes: new Map(), orphans: new Set(), modseq: 1 };
      this.accounts.set(accountId, a);
      const defaults: [string, SpecialUse | undefined][] = [['INBOX', undefined], ['Sent', '\\Sent'], ['Drafts', '\\Drafts'], ['Trash', '\\Trash'], ['Junk', '\\Junk']];
      for (const [name, use] of defaults) this.#addBox(a, name, use);
    }
    return a;
  }

  #addBox(a: Account, name: string, specialUse?: SpecialUse): Box {
    const box: Box = { id: String(nextId++), name, specialUse, subscribed: true, uidValidity: 1000 + nextId, uidNext: 1, recentUid: 1, messages: [] };
    a.boxes.set(name, box);
    return box;
  }

  #box(accountId: string, name: string): Box {
    const box = this.account(accountId).boxes.get(name);
    if (!box) throw new BackendError('NONEXISTENT', 'No such mailbox');
    return box;
  }

  #boxById(accountId: string, id: string): Box {
    for (const box of this.account(accountId).boxes.values()) if (box.id === id) return box;
    throw new BackendError('NONEXISTENT', 'Mailbox was deleted');
  }

  #emit(mailboxId: string, change: MailboxChange): void {
    for (const { fn } of this.#listeners.get(mailboxId) ?? []) queueMicrotask(() => fn(change));
  }

  /** A new message is \Recent in the first read-write selection that hears of it. */
  #emitExists(box: Box, message: MessageMeta): void {
    let claimed = false;
    for (const { fn, readWrite } of this.#listeners.get(box.id) ?? []) {
      const recent = readWrite && !claimed;
      if (recent) {
        claimed = true;
        box.recentUid = message.uid + 1;
      }
      queueMicrotask(() => fn({ type: 'exists', messages: [message], recent }));
    }
  }

  #meta(m: StoredMessage): MessageMeta {
    return { uid: m.uid, flags: [...m.flags], modseq: m.modseq, internalDate: m.internalDate, size: m.size };
  }

  async listMailboxes(accountId: string): Promise<MailboxInfo[]> {
    const a = this.account(accountId);
    const boxes = [...a.boxes.values()].map((b) => ({ name: b.name, specialUse: b.specialUse, subscribed: b.subscribed }));
    return [...boxes, ...[...a.orphans].map((name) => ({ name, subscribed: true, nonexistent: true as const }))];
  }

  async createMailbox(accountId: string, name: string): Promise<void> {
    const a = this.account(accountId);
    if ([...a.boxes.keys()].some((n) => n.toLowerCase() === name.toLowerCase())) throw new BackendError('ALREADYEXISTS', 'Mailbox exists');
    this.#addBox(a, name).subscribed = a.orphans.delete(name);
  }

  async deleteMailbox(accountId: string, name: string): Promise<void> {
    if (this.#box(accountId, name).subscribed) this.account(accountId).orphans.add(name);
    this.account(accountId).boxes.delete(name);
  }

  async renameMailbox(accountId: string, from: string, to: string): Promise<void> {
    const a = this.account(accountId);
    const box = this.#box(accountId, from);
    if (a.boxes.has(to)) throw new BackendError('ALREADYEXISTS', 'Target exists');
    for (const [name, b] of [...a.boxes]) {
      if (name === from || name.startsWith(from + '/')) {
        a.boxes.delete(name);
        b.name = to + name.slice(from.length);
        a.boxes.set(b.name, b);
      }
    }
    if (from === 'INBOX') {
      box.id = String(nextId++);
      this.#addBox(a, 'INBOX');
    }
  }

  async setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void> {
    if (!subscribed && this.account(accountId).orphans.delete(name)) return;
    this.#box(accountId, name).subscribed = subscribed;
  }

  async openMailbox(accountId: string, name: string, readWrite: boolean, onChange: (change: MailboxChange) => void) {
    const box = this.#box(accountId, name);
    const a = this.account(accountId);
    const listeners = this.#listeners.get(box.id) ?? new Set();
    const listener = { fn: onChange, readWrite };
    this.#listeners.set(box.id, listeners.add(listener));
    const firstRecentUid = box.recentUid;
    if (readWrite) box.recentUid = box.uidNext;
    const snapshot = { id: box.id, name: box.name, uidValidity: box.uidValidity, uidNext: box.uidNext, highestModseq: a.modseq, messages: box.messages.map((m) => this.#meta(m)), firstRecentUid };
    return { snapshot, close: () => void listeners.delete(listener) };
  }

  async locate(accountId: string, name: string) {
    const box = this.#box(accountId, name);
    return { id: box.id, uidValidity: box.uidValidity };
  }

  async status(accountId: string, name: string) {
    const box = this.#box(accountId, name);
    return {
      messages: box.messages.length,
      uidNext: box.uidNext,
      uidValidity: box.uidValidity,
      unseen: box.messages.filter((m) => !m.flags.includes('\\Seen')).length,
      recent: box.messages.filter((m) => m.uid >= box.recentUid).length,
      highestModseq: this.account(accountId).modseq,
    };
  }

  async readMessage(accountId: string, mailboxId: string, uid: number): Promise<Buffer | null> {
    return this.#boxById(accountId, mailboxId).messages.find((m) => m.uid === uid)?.raw ?? null;
  }

  async loadMessages(accountId: string, mailboxId: string, uids: number[], want: LoadWanted): Promise<Map<number, LoadedMessage>> {
    const box = this.#boxById(accountId, mailboxId);
    const loaded = new Map<number, LoadedMessage>();
    for (const m of box.messages) if (uids.includes(m.uid)) loaded.set(m.uid, { raw: want.raw ? m.raw : null, structure: want.structure ? parseStructure(m.raw) : null });
    return loaded;
  }

  #insert(accountId: string, box: Box, raw: Buffer, flags: string[], internalDate: Date): StoredMessage {
    const a = this.account(accountId);
    const message: StoredMessage = { uid: box.uidNext++, flags: [...new Set(flags)], modseq: ++a.modseq, internalDate, size: raw.length, raw };
    box.messages.push(message);
    this.#emitExists(box, this.#meta(message));
    return message;
  }

  async append(accountId: string, mailbox: string, messages: NewImapMessage[]) {
    const box = this.#box(accountId, mailbox);
    return { uidValidity: box.uidValidity, uids: messages.map((m) => this.#insert(accountId, box, m.raw, m.flags, m.internalDate).uid) };
  }

  /** A delivery from outside any session (like SMTP). */
  deliver(accountId: string, raw: Buffer | string, mailbox = 'INBOX'): number {
    return this.#insert(accountId, this.#box(accountId, mailbox), Buffer.from(raw), [], new Date()).uid;
  }

  async storeFlags(accountId: string, mailboxId: string, uids: number[], op: FlagOperation, flags: string[], unchangedSince?: number) {
    const a = this.account(accountId);
    const box = this.#boxById(accountId, mailboxId);
    const updated: { uid: number; flags: string[]; modseq: number }[] = [];
    const modified: number[] = [];
    for (const m of box.messages) {
      if (!uids.includes(m.uid)) continue;
      if (unchangedSince !== undefined && m.modseq > unchangedSince) {
        modified.push(m.uid);
        continue;
      }
      const next = op === 'set' ? [...new Set(flags)] : op === 'add' ? [...new Set([...m.flags, ...flags])] : m.flags.filter((f) => !flags.includes(f));
      if (next.length === m.flags.length && next.every((f) => m.flags.includes(f))) continue;
      m.flags = next;
      m.modseq = ++a.modseq;
      updated.push({ uid: m.uid, flags: [...next], modseq: m.modseq });
      this.#emit(mailboxId, { type: 'flags', uid: m.uid, flags: [...next], modseq: m.modseq });
    }
    return { updated, modified };
  }

  async copy(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult> {
    const source = this.#boxById(accountId, mailboxId);
    const dest = this.#box(accountId, target);
    const result: CopyResult = { uidValidity: dest.uidValidity, sourceUids: [], destinationUids: [] };
    for (const m of source.messages.filter((x) => uids.includes(x.uid))) {
      result.sourceUids.push(m.uid);
      result.destinationUids.push(this.#insert(accountId, dest, m.raw, m.flags, m.internalDate).uid);
    }
    return result;
  }

  async move(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult> {
    const result = await this.copy(accountId, mailboxId, uids, target);
    await this.#remove(accountId, mailboxId, result.sourceUids);
    return result;
  }

  async #remove(accountId: string, mailboxId: string, uids: number[]): Promise<number[]> {
    const a = this.account(accountId);
    const box = this.#boxById(accountId, mailboxId);
    const removed = box.messages.filter((m) => uids.includes(m.uid)).map((m) => m.uid);
    box.messages = box.messages.filter((m) => !uids.includes(m.uid));
    a.modseq++;
    if (removed.length) this.#emit(mailboxId, { type: 'expunge', uids: removed });
    return removed;
  }

  expunge(accountId: string, mailboxId: string, uids: number[]): Promise<number[]> {
    return this.#remove(accountId, mailboxId, uids);
  }

  async openMaildrop(accountId: string) {
    const box = this.#box(accountId, 'INBOX');
    return { mailboxId: box.id, uidValidity: box.uidValidity, messages: box.messages.map((m) => ({ uid: m.uid, size: m.size })) };
  }

  async deleteMessages(accountId: string, mailboxId: string, uids: number[]): Promise<void> {
    await this.#remove(accountId, mailboxId, uids);
  }
}
