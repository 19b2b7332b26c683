/** The mail store's records and its ports: the repository (src/store/mailRepo.ts) and the blob store (src/store/blobs.ts). */

/** Raw message bytes, addressed by their SHA-256 so that the same bytes are stored once. */
export interface BlobStore {
  /**
   * Stores the bytes durably (on disk or committed) before it resolves; returns their id. With
   * `until: 'committed'` the caller commits a row that refers to them to the same database next and
   * waits for that to be durable: bytes kept in the database are durable with it, and need no sync
   * of their own (bytes kept as files are synced all the same). `id`, when given, is blobIdOf(data)
   * found already (by the worker that parsed the message, off the event loop).
   */
  put(data: Buffer, until?: 'durable' | 'committed', id?: string): Promise<string>;
  get(id: string): Promise<Buffer | undefined>;
  /**
   * Deletes blobs untouched since `before` that nothing refers to any more; returns how many. Never
   * reads a blob's bytes; asks `referenced` about a batch of ids at a time (one query per batch).
   */
  sweep(before: Date, referenced: (ids: string[]) => Promise<Set<string>>): Promise<number>;
}

export type SpecialUse = '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk';

export interface MailboxRecord {
  id: string;
  accountId: string;
  /** Full Unicode path, levels separated by `/`; `INBOX` is always spelled so. */
  name: string;
  specialUse: SpecialUse | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** Messages from this UID on have not been seen by any session yet (\Recent). */
  recentUid: number;
}

/** What delivery caches from the headers so that lists need not parse the message. */
export interface MessageSummary {
  subject: string;
  from: string;
  to: string;
  cc: string;
  sentDate: Date | null;
  messageId: string | null;
  /** Ids the message refers to (References, then In-Reply-To), without brackets: its thread. */
  references: string[];
  hasAttachments: boolean;
  preview: string;
  /** The decoded text of the body, for the full-text index only (not kept in the row); absent on rows read back. */
  bodyText?: string;
  /** Bcc addresses (a sent message or a draft), for the full-text index only, like bodyText. */
  bcc?: string;
}

export interface MessageRecord extends MessageSummary {
  id: string;
  mailboxId: string;
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  size: number;
  blobId: string;
  /** The account-wide thread (src/mail/threading.ts); null only for rows stored before threads existed. */
  threadId: string | null;
  /** ENVELOPE/BODYSTRUCTURE as the IMAP server cached it; null until first asked. */
  structureJson: string | null;
}

export interface NewMessage {
  /** ENVELOPE/BODYSTRUCTURE, computed at delivery (see structureJson); else at first FETCH. */
  structureJson?: string | null;
  blobId: string;
  size: number;
  flags: string[];
  internalDate: Date;
  summary: MessageSummary;
}

/** An Email waiting for the full-text index (searchIndexer.ts). */
export interface QueuedEmail {
  accountId: string;
  blobId: string;
}

/** A queued Email with its index words and their fields (searchTokens.ts). */
export interface IndexedEmail extends QueuedEmail {
  words: [string, number][];
}

/** The queue of Emails stored but not yet in the full-text index, and the index's writer. */
export interface SearchBacklogRepo {
  /** Oldest first; of one account, or of any when `accountId` is null. */
  waiting(accountId: string | null, limit: number): Promise<QueuedEmail[]>;
  /** When the oldest and the newest waiting Email were queued (epoch ms); null when none waits. */
  times(): Promise<{ oldest: number; newest: number } | null>;
  /** Writes the words of Emails still queued and takes them off the queue, in one transaction. */
  index(emails: IndexedEmail[]): Promise<void>;
}

/** Inclusive UID ranges; `to` may be Infinity (`n:*`). */
export type UidRanges = [from: number, to: number][];

export type FlagOp = 'set' | 'add' | 'remove';

/** The kinds of object whose changes the account's change log records (JMAP data types). */
export type ChangeKind = 'Email' | 'Mailbox' | 'Thread' | 'Identity' | 'VacationResponse';

export type ThreadSource = Pick<MessageSummary, 'messageId' | 'references' | 'subject'>;

export interface FlagChange {
  uid: number;
  flags: string[];
  modseq: number;
}

export type MessageMetaRecord = Pick<MessageRecord, 'uid' | 'flags' | 'modseq' | 'internalDate' | 'size'>;
export type MessageContentRecord = Pick<MessageRecord, 'id' | 'uid' | 'blobId'>;

export interface MessageQuery {
  uids?: UidRanges;
  /** Only messages whose modseq is above this (CONDSTORE CHANGEDSINCE). */
  changedSince?: number;
}

export interface MailRepo {
  listMailboxes(accountId: string): Promise<MailboxRecord[]>;
  findMailbox(accountId: string, name: string): Promise<MailboxRecord | undefined>;
  getMailbox(id: string): Promise<MailboxRecord | undefined>;
  /** Inserts the mailboxes that don't exist yet; returns nothing — existing names are kept. */
  insertMailboxes(accountId: string, boxes: { name: string; specialUse: SpecialUse | null; subscribed?: boolean }[], now: Date): Promise<void>;
  /** Renames a mailbox and every mailbox under it; false when the new name is taken. */
  renameMailbox(accountId: string, from: string, to: string): Promise<boolean>;
  deleteMailbox(id: string): Promise<void>;
  setSubscribed(id: string, subscribed: boolean): Promise<void>;
  /** Names subscribed to whose mailbox was deleted; `subscribed` false removes one (false when it was not there). */
  listOrphanSubscriptions(accountId: string): Promise<string[]>;
  setOrphanSubscription(accountId: string, name: string, subscribed: boolean): Promise<boolean>;
  /** Bytes used by every message of the account (a copy counts again): one stored number, kept by the writes. */
  usage(accountId: string): Promise<number>;
  /**
   * Inserts messages with fresh UIDs from `uid_next` in one transaction; returns their UIDs. With
   * `maxUsage`, refused (quota_exceeded, nothing stored) when the account's usage would then exceed
   * it: checked in that transaction, so deliveries running at once cannot overshoot it together.
   */
  insertMessages(mailboxId: string, messages: NewMessage[], maxUsage?: number): Promise<{ uids: number[]; modseq: number }>;
  listMessages(mailboxId: string, query?: MessageQuery): Promise<MessageRecord[]>;
  /** What IMAP SELECT and STATUS need of every message of a mailbox, without the rest of the row. */
  listMeta(mailboxId: string): Promise<MessageMetaRecord[]>;
  /** Where the bytes of the given messages are (IMAP FETCH), without the rest of the row. */
  listContent(mailboxId: string, uids: UidRanges): Promise<MessageContentRecord[]>;
  /** The stored structures (structure.ts) of messages by row id; null where none was stored. */
  structureJsons(messageIds: string[]): Promise<Map<string, string | null>>;
  listUids(mailboxId: string): Promise<number[]>;
  /** A message of the mailbox with this Message-ID and an internal date from `since` on. */
  findByMessageId(mailboxId: string, messageId: string, since: Date): Promise<MessageRecord | undefined>;
  /** Message count, unseen count and bytes of a mailbox (IMAP STATUS, POP3 STAT, folder lists). */
  counts(mailboxId: string): Promise<{ messages: number; unseen: number; bytes: number }>;
  /** Changes flags; messages changed after `unchangedSince` are left alone and reported as failed. */
  setFlags(mailboxId: string, uids: UidRanges, op: FlagOp, flags: string[], unchangedSince?: number): Promise<{ changed: FlagChange[]; failed: number[] }>;
  /** Deletes the given UIDs (or, when `onlyDeleted`, those of them flagged \Deleted); returns the removed UIDs. */
  removeMessages(mailboxId: string, uids: UidRanges | 'all', onlyDeleted: boolean): Promise<number[]>;
  setStructure(messageId: string, json: string): Promise<void>;
  /** Marks UIDs below `upTo` as seen by a session; returns the previous first unseen UID (\Recent). */
  claimRecent(mailboxId: string, upTo: number): Promise<number>;
  /** Whether any message or queued mail still refers to a blob. */
  /** Which of `blobIds` a message or queued mail still refers to. */
  blobsReferenced(blobIds: string[]): Promise<Set<string>>;
}
