// The account-wide Email view over the per-mailbox rows (what JMAP and the webmail list): filters,
// sorts and the repository port implemented in src/store/emailRepo.ts.
import type { ChangeKind, MessageRecord } from './types.ts';

/** One condition of a query; flags are IMAP spellings (`\Seen`, `$label`), compared case-insensitively. */
export interface EmailCondition {
  inMailbox?: string;
  inMailboxOtherThan?: string[];
  before?: Date;
  after?: Date;
  minSize?: number;
  maxSize?: number;
  hasFlag?: string;
  notFlag?: string;
  allInThreadHaveFlag?: string;
  someInThreadHaveFlag?: string;
  noneInThreadHaveFlag?: string;
  hasAttachment?: boolean;
  text?: string;
  from?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  body?: string;
}

export type EmailFilter = { operator: 'AND' | 'OR' | 'NOT'; conditions: EmailFilter[] } | EmailCondition;

export interface EmailSort {
  property: 'receivedAt' | 'sentAt' | 'size' | 'from' | 'to' | 'subject' | 'hasKeyword';
  isAscending: boolean;
  flag?: string;
}

export interface EmailQuery {
  filter: EmailFilter | null;
  sort: EmailSort[];
  collapseThreads: boolean;
}

/** One Email in a query result. */
export interface EmailHit {
  blobId: string;
  threadId: string;
}

export interface ChangeRow {
  id: string;
  op: 'c' | 'u' | 'd';
  seq: number;
}

export interface MailboxStats {
  total: number;
  unread: number;
  threads: number;
  unreadThreads: number;
}

export interface SubmissionRecord {
  id: string;
  identityId: string;
  emailId: string;
  threadId: string;
  envelope: { mailFrom: { email: string }; rcptTo: { email: string }[] };
  sendAt: Date;
}

export interface EmailRepo {
  /** Every row (mailbox copy) of the given Emails in the account, without the IMAP structure cache (structureJson null). */
  rows(accountId: string, blobIds: string[]): Promise<MessageRecord[]>;
  /** Emails of the given threads, oldest first. */
  threads(accountId: string, threadIds: string[]): Promise<{ threadId: string; blobId: string }[]>;
  /** Matching Emails in order, `offset` skipped, at most `limit`; deduplicated (and collapsed) by the query. */
  query(accountId: string, query: EmailQuery, offset: number, limit: number): Promise<EmailHit[]>;
  count(accountId: string, query: EmailQuery): Promise<number>;
  /** Counts per mailbox; the thread counts (the costly part) only when `threads`, else 0. */
  mailboxStats(accountId: string, threads: boolean): Promise<Map<string, MailboxStats>>;
  /** The account's latest change of `kind` (0 when none yet). */
  state(accountId: string, kind: ChangeKind): Promise<number>;
  /** Changes of `kind` after `since`, in order, at most `max` rows past the first sequence returned. */
  changes(accountId: string, kind: ChangeKind, since: number, max: number): Promise<ChangeRow[]>;
  addUpload(accountId: string, blobId: string, type: string, size: number, now: Date): Promise<void>;
  /** Whether the account may read the blob: one of its messages or its uploads. */
  ownsBlob(accountId: string, blobId: string): Promise<{ type: string; size: number } | 'message' | null>;
  addSubmission(accountId: string, s: SubmissionRecord): Promise<void>;
  /** The account's submissions with these ids (all, newest first, when null). */
  submissions(accountId: string, ids: string[] | null): Promise<SubmissionRecord[]>;
}
