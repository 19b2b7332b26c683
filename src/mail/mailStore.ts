import { PosternError } from '../core/errors.ts';
import type { AccountRecord, AccountRepo, Clock } from '../core/ports.ts';
import type { Bus } from '../state/bus.ts';
import { ancestors, defaultMailboxes, normalizeMailboxName, separator } from './mailboxNames.ts';
import { parseMessage } from './parsing.ts';
import { Lru } from '../memo.ts';
import { parseStructure, storedStructure, structureJson, type MessageStructure } from './structure.ts';
import type { BlobStore, FlagChange, FlagOp, MailboxRecord, MailRepo, MessageContentRecord, MessageMetaRecord, MessageQuery, MessageRecord, NewMessage, SpecialUse, UidRanges } from './types.ts';

/** What `mailbox:<id>` subscribers hear after a change is committed (IMAP IDLE, webmail). */
export type MailEvent =
  | { type: 'exists'; uids: number[]; modseq: number; messages: NewMessageEvent[] }
  | { type: 'expunge'; uids: number[] }
  | { type: 'flags'; changes: FlagChange[] };

/** What listeners need of a new message without a lookup; the date in epoch milliseconds (the bus carries JSON). */
export interface NewMessageEvent {
  uid: number;
  flags: string[];
  internalDate: number;
  size: number;
}

const newMessageEvents = (uids: number[], messages: Pick<NewMessage, 'flags' | 'internalDate' | 'size'>[]): NewMessageEvent[] =>
  messages.map((m, i) => ({ uid: uids[i], flags: m.flags, internalDate: m.internalDate.getTime(), size: m.size }));

export const mailboxTopic = (mailboxId: string) => `mailbox:${mailboxId}`;

/** What `mailboxes:<accountId>` subscribers hear when the account's list of mailboxes changed. */
export const mailboxListTopic = (accountId: string) => `mailboxes:${accountId}`;

/** Room for the trace headers (Received, Message-ID, Date) added to a message accepted at the size limit. */
const traceAllowance = 16 * 1024;

/**
 * Stored bytes never change (a blob's id is its SHA-256), so recently read messages and their parsed
 * structures are kept: IMAP clients fetch the same messages again and again (headers, then bodies).
 */
const cachedBytes = 32 * 1024 * 1024;
const cachedStructures = 5000;

/** How long a copy filed in Sent stands for the client's own copy of it. */
const sentDedupeMs = 60 * 60 * 1000;

export interface MailStoreDeps {
  repo: MailRepo;
  blobs: BlobStore;
  bus: Bus;
  accounts: AccountRepo;
  clock: Clock;
  maxMessageBytes: number;
}

export interface AppendOptions {
  flags?: string[];
  internalDate?: Date;
}

/** Mailboxes and messages of every account: the operations IMAP, POP3, SMTP and webmail share. */
export class MailStore {
  readonly repo: MailRepo;
  readonly blobs: BlobStore;
  readonly bus: Bus;
  readonly #deps: MailStoreDeps;
  readonly #ensured = new Set<string>();
  readonly #bytes = new Lru<Buffer>(cachedBytes, (b) => b.length);
  readonly #structures = new Lru<MessageStructure>(cachedStructures);

  constructor(deps: MailStoreDeps) {
    this.#deps = deps;
    this.repo = deps.repo;
    this.blobs = deps.blobs;
    this.bus = deps.bus;
  }

  /** Every account has INBOX and the special-use mailboxes; created at first use, whoever created the account. */
  async #ensureDefaults(accountId: string): Promise<void> {
    if (this.#ensured.has(accountId)) return;
    const boxes = await this.repo.listMailboxes(accountId);
    const missing = defaultMailboxes.filter((d) => !boxes.some((b) => (d.specialUse ? b.specialUse === d.specialUse : b.name === d.name)));
    if (missing.length > 0) {
      if (!(await this.#deps.accounts.findById(accountId))) throw new PosternError('unknown_account', { address: accountId });
      await this.repo.insertMailboxes(accountId, missing, this.#deps.clock.now());
    }
    this.#ensured.add(accountId);
  }

  async mailboxes(accountId: string): Promise<MailboxRecord[]> {
    await this.#ensureDefaults(accountId);
    return this.repo.listMailboxes(accountId);
  }

  async mailbox(accountId: string, name: string): Promise<MailboxRecord> {
    await this.#ensureDefaults(accountId);
    const box = await this.repo.findMailbox(accountId, normalizeMailboxName(name));
    if (!box) throw new PosternError('unknown_mailbox', { name: name.slice(0, 100) });
    return box;
  }

  async specialMailbox(accountId: string, use: 'INBOX' | SpecialUse): Promise<MailboxRecord> {
    if (use === 'INBOX') return this.mailbox(accountId, 'INBOX');
    const box = (await this.mailboxes(accountId)).find((b) => b.specialUse === use);
    if (!box) throw new PosternError('unknown_mailbox', { name: use });
    return box;
  }

  /** Creates a mailbox and any missing parent (`a/b/c` creates `a` and `a/b`); IMAP clients subscribe themselves. */
  async createMailbox(accountId: string, input: string, subscribed = true): Promise<MailboxRecord> {
    const name = normalizeMailboxName(input);
    await this.#ensureDefaults(accountId);
    if (await this.repo.findMailbox(accountId, name)) throw new PosternError('mailbox_exists', { name });
    // A subscription kept from an earlier mailbox of this name applies to the new one.
    const resubscribed = await this.repo.setOrphanSubscription(accountId, name, false);
    await this.repo.insertMailboxes(accountId, [...ancestors(name), name].map((n) => ({ name: n, specialUse: null, subscribed: subscribed || (resubscribed && n === name) })), this.#deps.clock.now());
    await this.#publishList(accountId);
    return this.mailbox(accountId, name);
  }

  /** Renames a mailbox with everything under it; renaming INBOX moves its messages and leaves it empty (RFC 3501). */
  async renameMailbox(accountId: string, fromInput: string, toInput: string): Promise<void> {
    const from = await this.mailbox(accountId, fromInput);
    const to = normalizeMailboxName(toInput);
    if (to === from.name || to.startsWith(from.name + separator)) throw new PosternError('invalid_mailbox_name', { name: to });
    if (await this.repo.findMailbox(accountId, to)) throw new PosternError('mailbox_exists', { name: to });
    if (from.name === 'INBOX') {
      const target = await this.createMailbox(accountId, to);
      await this.move(from, [[1, Infinity]], target);
      return;
    }
    await this.repo.insertMailboxes(accountId, ancestors(to).map((n) => ({ name: n, specialUse: null })), this.#deps.clock.now());
    if (!(await this.repo.renameMailbox(accountId, from.name, to))) throw new PosternError('mailbox_exists', { name: to });
    await this.#publishList(accountId);
  }

  async deleteMailbox(accountId: string, input: string): Promise<void> {
    const box = await this.mailbox(accountId, input);
    if (box.name === 'INBOX' || box.specialUse) throw new PosternError('mailbox_protected', { name: box.name });
    const boxes = await this.repo.listMailboxes(accountId);
    if (boxes.some((b) => b.name.startsWith(box.name + separator))) throw new PosternError('mailbox_has_children', { name: box.name });
    await this.repo.deleteMailbox(box.id);
    if (box.subscribed) await this.repo.setOrphanSubscription(accountId, box.name, true);
    await this.#publishList(accountId);
  }

  /** A subscription whose mailbox is gone can still be removed (RFC 3501 §6.3.7). */
  async subscribe(accountId: string, input: string, subscribed: boolean): Promise<void> {
    await this.#ensureDefaults(accountId);
    const name = normalizeMailboxName(input);
    const box = await this.repo.findMailbox(accountId, name);
    if (box) await this.repo.setSubscribed(box.id, subscribed);
    else if (subscribed || !(await this.repo.setOrphanSubscription(accountId, name, false))) throw new PosternError('unknown_mailbox', { name: input.slice(0, 100) });
    await this.#publishList(accountId);
  }

  /** Names subscribed to that have no mailbox now. */
  orphanSubscriptions(accountId: string): Promise<string[]> {
    return this.repo.listOrphanSubscriptions(accountId);
  }

  messages(mailboxId: string, query?: MessageQuery): Promise<MessageRecord[]> {
    return this.repo.listMessages(mailboxId, query);
  }

  meta(mailboxId: string): Promise<MessageMetaRecord[]> {
    return this.repo.listMeta(mailboxId);
  }

  contents(mailboxId: string, uids: UidRanges): Promise<MessageContentRecord[]> {
    return this.repo.listContent(mailboxId, uids);
  }

  uids(mailboxId: string): Promise<number[]> {
    return this.repo.listUids(mailboxId);
  }

  /** Claims the messages below `upTo` as seen by a session; returns the first UID that was still \Recent. */
  claimRecent(mailboxId: string, upTo: number): Promise<number> {
    return this.repo.claimRecent(mailboxId, upTo);
  }

  counts(mailboxId: string): Promise<{ messages: number; unseen: number; bytes: number }> {
    return this.repo.counts(mailboxId);
  }

  /** The message exactly as it was received. */
  async read(message: Pick<MessageRecord, 'blobId'>): Promise<Buffer> {
    const kept = this.#bytes.get(message.blobId);
    if (kept) return kept;
    const data = await this.blobs.get(message.blobId);
    if (!data) throw new PosternError('message_missing');
    this.#bytes.set(message.blobId, data);
    return data;
  }

  /**
   * The parsed MIME structures of messages, by blob id: stored at delivery, read in one query for
   * those not kept here; computed and stored for older messages.
   */
  async structures(messages: Pick<MessageRecord, 'id' | 'blobId'>[]): Promise<Map<string, MessageStructure>> {
    const out = new Map<string, MessageStructure>();
    const missing: Pick<MessageRecord, 'id' | 'blobId'>[] = [];
    for (const m of messages) {
      const kept = this.#structures.get(m.blobId);
      if (kept) out.set(m.blobId, kept);
      else missing.push(m);
    }
    const stored = missing.length ? await this.repo.structureJsons(missing.map((m) => m.id)) : new Map<string, string | null>();
    for (const m of missing) {
      let structure = storedStructure(stored.get(m.id) ?? null);
      if (!structure) {
        structure = parseStructure(await this.read(m));
        await this.repo.setStructure(m.id, structureJson(structure));
      }
      this.#structures.set(m.blobId, structure);
      out.set(m.blobId, structure);
    }
    return out;
  }

  async setFlags(mailboxId: string, uids: UidRanges, op: FlagOp, flags: string[], unchangedSince?: number) {
    const result = await this.repo.setFlags(mailboxId, uids, op, flags, unchangedSince);
    if (result.changed.length > 0) await this.#publish(mailboxId, { type: 'flags', changes: result.changed });
    return result;
  }

  /** Removes messages flagged \Deleted (only among `uids` when given, as UID EXPUNGE does); returns their UIDs. */
  async expunge(mailboxId: string, uids?: UidRanges): Promise<number[]> {
    const gone = await this.repo.removeMessages(mailboxId, uids ?? 'all', true);
    if (gone.length > 0) await this.#publish(mailboxId, { type: 'expunge', uids: gone });
    return gone;
  }

  /** Removes messages whatever their flags (a JMAP client taking an Email out of a mailbox). */
  async discard(mailboxId: string, uids: UidRanges): Promise<number[]> {
    const gone = await this.repo.removeMessages(mailboxId, uids, false);
    if (gone.length > 0) await this.#publish(mailboxId, { type: 'expunge', uids: gone });
    return gone;
  }

  /** Copies messages (their bytes are shared, not duplicated); returns source → new UID pairs (COPYUID). */
  async copy(from: MailboxRecord, uids: UidRanges, to: MailboxRecord): Promise<{ uidValidity: number; pairs: [number, number][] }> {
    const source = await this.repo.listMessages(from.id, { uids });
    if (source.length === 0) return { uidValidity: to.uidValidity, pairs: [] };
    const added = source.map((m) => ({ blobId: m.blobId, size: m.size, flags: m.flags, internalDate: m.internalDate, summary: m, structureJson: m.structureJson }));
    const inserted = await this.repo.insertMessages(to.id, added, await this.#quotaOf(to.accountId));
    await this.#publish(to.id, { type: 'exists', uids: inserted.uids, modseq: inserted.modseq, messages: newMessageEvents(inserted.uids, added) });
    return { uidValidity: to.uidValidity, pairs: source.map((m, i) => [m.uid, inserted.uids[i]]) };
  }

  /** Copy, then remove from the source; a crash in between leaves a duplicate, never a loss. */
  async move(from: MailboxRecord, uids: UidRanges, to: MailboxRecord): Promise<{ uidValidity: number; pairs: [number, number][] }> {
    const copied = await this.copy(from, uids, to);
    const moved = copied.pairs.map(([src]) => [src, src] as [number, number]);
    if (moved.length > 0) await this.discard(from.id, moved);
    return copied;
  }

  /**
   * Stores a message in a mailbox: size checked, bytes fsynced, row committed within the quota, then the
   * `exists` event. When it resolves the message is durable.
   */
  async append(mailbox: MailboxRecord, raw: Buffer, options: AppendOptions = {}): Promise<{ uid: number; uidValidity: number }> {
    const { uids, uidValidity } = await this.appendAll(mailbox, [{ raw, ...options }]);
    return { uid: uids[0], uidValidity };
  }

  /** Several messages in one transaction: all are stored or none (IMAP MULTIAPPEND). */
  async appendAll(mailbox: MailboxRecord, messages: ({ raw: Buffer } & AppendOptions)[]): Promise<{ uids: number[]; uidValidity: number }> {
    if (messages.some((m) => m.raw.length > this.#deps.maxMessageBytes + traceAllowance)) throw new PosternError('message_too_large', { max: this.#deps.maxMessageBytes });
    // Parsed once here, so that no IMAP FETCH has to parse or write it later.
    const parsing = Promise.all(messages.map((m) => parseMessage(m.raw)));
    const filed = messages.length === 1 && mailbox.specialUse === '\\Sent' ? await this.#filedInSent(mailbox, (await parsing)[0].summary.messageId) : null;
    if (filed) return { uids: [filed], uidValidity: mailbox.uidValidity };
    const [parsed, quota] = await Promise.all([parsing, this.#quotaOf(mailbox.accountId)]);
    const blobIds = await Promise.all(messages.map((m, i) => this.blobs.put(m.raw, 'committed', parsed[i].blobId)));
    const added = messages.map((m, i) => ({ size: m.raw.length, flags: m.flags ?? [], internalDate: m.internalDate ?? this.#deps.clock.now(), ...parsed[i], blobId: blobIds[i] }));
    // No usage read of its own: the insert refuses what does not fit, in its transaction (SMTP RCPT and dispatch refuse earlier).
    // Its commit is made durable before it resolves, and with it the bytes put above.
    const inserted = await this.repo.insertMessages(mailbox.id, added, quota);
    await this.#publish(mailbox.id, { type: 'exists', uids: inserted.uids, modseq: inserted.modseq, messages: newMessageEvents(inserted.uids, added) });
    return { uids: inserted.uids, uidValidity: mailbox.uidValidity };
  }

  /**
   * The server files every submission in Sent and clients APPEND their own copy: as Gmail does, a
   * copy whose Message-ID was filed there within the hour is that message (its UID), not a second one.
   */
  async #filedInSent(mailbox: MailboxRecord, messageId: string | null): Promise<number | null> {
    if (!messageId) return null;
    const since = new Date(this.#deps.clock.now().getTime() - sentDedupeMs);
    return (await this.repo.findByMessageId(mailbox.id, messageId, since))?.uid ?? null;
  }

  /** Delivery into an account's INBOX (or Sent, for the copy of a submission). */
  async deliver(accountId: string, raw: Buffer, into: 'INBOX' | SpecialUse = 'INBOX', flags: string[] = []): Promise<{ uid: number; uidValidity: number }> {
    return this.append(await this.specialMailbox(accountId, into), raw, { flags });
  }

  /**
   * Whether `bytes` more fit in the account's quota now: to refuse early (SMTP RCPT, a message for
   * several recipients); storing a message checks again, atomically (insertMessages' `maxUsage`).
   */
  async hasRoom(account: Pick<AccountRecord, 'id' | 'quotaBytes'>, bytes: number): Promise<boolean> {
    return (await this.repo.usage(account.id)) + bytes <= account.quotaBytes;
  }

  async #quotaOf(accountId: string): Promise<number> {
    const account = await this.#deps.accounts.findById(accountId);
    if (!account) throw new PosternError('unknown_account', { address: accountId });
    return account.quotaBytes;
  }

  /** Drops stored bytes that no message or queued mail refers to any more, after a grace period. */
  sweepBlobs(graceMs = 60 * 60 * 1000): Promise<number> {
    // Blob times are file times: real time, not the injectable clock.
    return this.blobs.sweep(new Date(Date.now() - graceMs), (ids) => this.repo.blobsReferenced(ids));
  }

  async #publish(mailboxId: string, event: MailEvent): Promise<void> {
    await this.bus.publish(mailboxTopic(mailboxId), event).catch(() => {
      // The change is committed; a listener that missed it resynchronises at its next command.
    });
  }

  async #publishList(accountId: string): Promise<void> {
    await this.bus.publish(mailboxListTopic(accountId), {}).catch(() => {});
  }
}
