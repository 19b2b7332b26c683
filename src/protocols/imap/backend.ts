// The storage port of the IMAP and POP3 cores: the protocols know mailboxes, UIDs, flags and raw
// bytes, nothing else. A backend over the mail store and an in-memory one for tests implement it.
import type { Credential } from '../../core/revocation.ts';
import type { MessageStructure } from '../../mail/structure.ts';

export type SpecialUse = '\\Drafts' | '\\Sent' | '\\Junk' | '\\Trash' | '\\Archive' | '\\All' | '\\Flagged';

export interface MailboxInfo {
  /** Full name with "/" as the hierarchy delimiter, in Unicode (not modified UTF-7). */
  name: string;
  specialUse?: SpecialUse;
  subscribed: boolean;
  /** A subscription kept after its mailbox was deleted. */
  nonexistent?: true;
}

export interface MessageMeta {
  uid: number;
  flags: string[];
  modseq: number;
  internalDate: Date;
  size: number;
}

export interface MailboxSnapshot {
  /** Stable id of the mailbox for the life of the selection (survives renames). */
  id: string;
  name: string;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  /** Sorted by UID. */
  messages: MessageMeta[];
  /** Messages from this UID on are \Recent in this session. */
  firstRecentUid: number;
}

export interface MailboxStatus {
  messages: number;
  uidNext: number;
  uidValidity: number;
  unseen: number;
  recent: number;
  highestModseq: number;
}

/** A change to an open mailbox, from any session or delivery, in the order it was committed. */
export type MailboxChange =
  | { type: 'exists'; messages: MessageMeta[]; recent: boolean }
  | { type: 'flags'; uid: number; flags: string[]; modseq: number }
  | { type: 'expunge'; uids: number[] }
  /** The mailbox as stored now, after events may have been missed (the bus lost Redis for a while). */
  | { type: 'sync'; messages: MessageMeta[] };

export interface OpenMailbox {
  snapshot: MailboxSnapshot;
  /** Stops the change listener. */
  close(): void;
}

export interface LoadWanted {
  raw: boolean;
  structure: boolean;
}

/** What `loadMessages` was asked for; null for what was not. */
export interface LoadedMessage {
  raw: Buffer | null;
  structure: MessageStructure | null;
}

export interface NewImapMessage {
  raw: Buffer;
  flags: string[];
  internalDate: Date;
}

export type FlagOperation = 'set' | 'add' | 'remove';

export interface StoreResult {
  /** Messages whose flags changed (or were set), with their new flags and modseq. */
  updated: { uid: number; flags: string[]; modseq: number }[];
  /** UIDs not changed because their modseq was above UNCHANGEDSINCE (RFC 7162). */
  modified: number[];
}

export interface CopyResult {
  uidValidity: number;
  /** Source and destination UIDs, in source UID order. */
  sourceUids: number[];
  destinationUids: number[];
}

/** Why a backend refused: the core turns it into NO with a response code. */
export class BackendError extends Error {
  readonly code: 'NONEXISTENT' | 'ALREADYEXISTS' | 'CANNOT' | 'OVERQUOTA' | 'LIMIT';
  constructor(code: BackendError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface ImapBackend {
  /** The account's mailboxes, then the subscribed names that have none. */
  listMailboxes(accountId: string): Promise<MailboxInfo[]>;
  createMailbox(accountId: string, name: string): Promise<void>;
  deleteMailbox(accountId: string, name: string): Promise<void>;
  renameMailbox(accountId: string, from: string, to: string): Promise<void>;
  setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void>;
  /**
   * Starts listening for changes, then takes the snapshot: no change falls between the two. A
   * read-write selection claims the \Recent messages (RFC 3501: recent in one session only).
   */
  openMailbox(accountId: string, name: string, readWrite: boolean, onChange: (change: MailboxChange) => void): Promise<OpenMailbox>;
  status(accountId: string, name: string): Promise<MailboxStatus>;
  /** The id and UIDVALIDITY of a mailbox by name (CATENATE's URLs name messages that way). */
  locate(accountId: string, name: string): Promise<{ id: string; uidValidity: number }>;
  /**
   * The raw RFC 5322 bytes and/or the parsed structure of messages, in one lookup; a message
   * expunged meanwhile is absent from the map.
   */
  loadMessages(accountId: string, mailboxId: string, uids: number[], want: LoadWanted): Promise<Map<number, LoadedMessage>>;
  /** Stores all the messages or none (MULTIAPPEND); their UIDs in order. */
  append(accountId: string, mailbox: string, messages: NewImapMessage[]): Promise<{ uidValidity: number; uids: number[] }>;
  storeFlags(accountId: string, mailboxId: string, uids: number[], op: FlagOperation, flags: string[], unchangedSince?: number): Promise<StoreResult>;
  copy(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult>;
  move(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult>;
  /** Removes the given messages (which the caller checked carry \Deleted); returns removed UIDs. */
  expunge(accountId: string, mailboxId: string, uids: number[]): Promise<number[]>;
}

/** A success names the credential used, so that the session ends when it is revoked (SPEC X9). */
export type AuthResult = { ok: true; accountId: string; credential: Credential } | { ok: false; reason: string };

export type Authenticator = (protocol: 'imap' | 'pop3', username: string, password: string, remoteIp: string) => Promise<AuthResult>;
