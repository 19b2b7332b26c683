// Emails as JMAP and the webmail see them: one Email is the same bytes in one or more mailboxes of
// an account (the IMAP rows share the blob). Changes go through the MailStore, so IMAP IDLE, the
// change log and push all hear them whichever protocol made them.
import { PosternError } from '../core/errors.ts';
import type { EmailCondition, EmailFilter, EmailHit, EmailQuery, EmailRepo } from './emailTypes.ts';
import type { MailStore } from './mailStore.ts';
import type { SearchIndexer } from './searchIndexer.ts';
import type { MailboxRecord, MessageRecord } from './types.ts';

export interface EmailView {
  blobId: string;
  threadId: string;
  /** The mailbox rows, in mailbox-id order. */
  rows: MessageRecord[];
  mailboxIds: string[];
  /** Flags of all rows together (an IMAP client may have flagged one copy only). */
  flags: string[];
  first: MessageRecord;
}

const lower = (f: string) => f.toLowerCase();

const wordConditions = ['text', 'from', 'to', 'cc', 'bcc', 'subject', 'body'] as const satisfies (keyof EmailCondition)[];

/** Whether a filter looks for words: it reads the full-text index. */
const findsWords = (f: EmailFilter | null): boolean =>
  f !== null && ('operator' in f ? (f.conditions as EmailFilter[]).some(findsWords) : wordConditions.some((k) => (f as EmailCondition)[k] !== undefined));

export class Emails {
  readonly repo: EmailRepo;
  readonly mail: MailStore;
  readonly #indexer: SearchIndexer;

  constructor(repo: EmailRepo, mail: MailStore, indexer: SearchIndexer) {
    this.repo = repo;
    this.mail = mail;
    this.#indexer = indexer;
  }

  /** Matching Emails in order (EmailRepo.query); a search for words sees every Email stored before it. */
  async query(accountId: string, query: EmailQuery, offset: number, limit: number): Promise<EmailHit[]> {
    if (findsWords(query.filter)) await this.#indexer.catchUp(accountId);
    return this.repo.query(accountId, query, offset, limit);
  }

  async count(accountId: string, query: EmailQuery): Promise<number> {
    if (findsWords(query.filter)) await this.#indexer.catchUp(accountId);
    return this.repo.count(accountId, query);
  }

  /** The Emails among `blobIds` that exist in the account, keyed by blob id. */
  async get(accountId: string, blobIds: string[]): Promise<Map<string, EmailView>> {
    const byBlob = new Map<string, MessageRecord[]>();
    for (const row of await this.repo.rows(accountId, [...new Set(blobIds)])) {
      const list = byBlob.get(row.blobId) ?? [];
      list.push(row);
      byBlob.set(row.blobId, list);
    }
    const views = new Map<string, EmailView>();
    for (const [blobId, rows] of byBlob) {
      const flags = new Map<string, string>();
      for (const r of rows) for (const f of r.flags) flags.set(lower(f), flags.get(lower(f)) ?? f);
      const first = rows.reduce((a, b) => (b.internalDate < a.internalDate ? b : a));
      views.set(blobId, { blobId, threadId: first.threadId ?? `T${blobId.slice(0, 24)}`, rows, mailboxIds: [...new Set(rows.map((r) => r.mailboxId))].sort(), flags: [...flags.values()], first });
    }
    return views;
  }

  /** Adds and removes flags on every copy of the Email. */
  async changeFlags(email: EmailView, add: string[], remove: string[]): Promise<void> {
    for (const [mailboxId, uids] of this.#byMailbox(email.rows)) {
      if (remove.length) await this.mail.setFlags(mailboxId, uids, 'remove', remove);
      if (add.length) await this.mail.setFlags(mailboxId, uids, 'add', add);
    }
  }

  /** Puts the Email in exactly `mailboxIds` (copies first, then removals: a crash leaves a duplicate, never a loss). */
  async setMailboxes(accountId: string, email: EmailView, mailboxIds: string[]): Promise<void> {
    if (mailboxIds.length === 0) throw new PosternError('email_needs_mailbox');
    const boxes = await this.#mailboxes(accountId, mailboxIds);
    const source = email.first;
    const from = await this.mail.repo.getMailbox(source.mailboxId);
    if (!from) throw new PosternError('unknown_mailbox', { name: source.mailboxId });
    for (const box of boxes) if (!email.mailboxIds.includes(box.id)) await this.mail.copy(from, [[source.uid, source.uid]], box);
    for (const [mailboxId, uids] of this.#byMailbox(email.rows.filter((r) => !mailboxIds.includes(r.mailboxId)))) await this.mail.discard(mailboxId, uids);
  }

  async destroy(email: EmailView): Promise<void> {
    for (const [mailboxId, uids] of this.#byMailbox(email.rows)) await this.mail.discard(mailboxId, uids);
  }

  /** Stores a message in the given mailboxes; returns its blob id (the Email's). */
  async add(accountId: string, raw: Buffer, mailboxIds: string[], flags: string[], receivedAt?: Date): Promise<string> {
    if (mailboxIds.length === 0) throw new PosternError('email_needs_mailbox');
    const [first, ...others] = await this.#mailboxes(accountId, mailboxIds);
    const { uid } = await this.mail.append(first, raw, { flags, internalDate: receivedAt });
    for (const box of others) await this.mail.copy(first, [[uid, uid]], box);
    const [row] = await this.mail.messages(first.id, { uids: [[uid, uid]] });
    return row.blobId;
  }

  async #mailboxes(accountId: string, ids: string[]): Promise<MailboxRecord[]> {
    const all = await this.mail.mailboxes(accountId);
    return [...new Set(ids)].map((id) => {
      const box = all.find((b) => b.id === id);
      if (!box) throw new PosternError('unknown_mailbox', { name: id.slice(0, 100) });
      return box;
    });
  }

  #byMailbox(rows: MessageRecord[]): Map<string, [number, number][]> {
    const out = new Map<string, [number, number][]>();
    for (const r of rows) out.set(r.mailboxId, [...(out.get(r.mailboxId) ?? []), [r.uid, r.uid]]);
    return out;
  }
}
