import type { Generated } from 'kysely';

export interface MailboxesTable {
  id: string;
  account_id: string;
  name: string;
  special_use: string | null;
  subscribed: Generated<number>;
  uid_validity: number;
  uid_next: Generated<number>;
  highest_modseq: Generated<number>;
  /** First UID not yet shown as \Recent to any session. */
  recent_uid: Generated<number>;
  created_at: number;
}

export interface UidValidityIssuedTable {
  account_id: string;
  last: number;
}

export interface OrphanSubscriptionsTable {
  account_id: string;
  name: string;
}

export interface MessagesTable {
  id: string;
  mailbox_id: string;
  account_id: string;
  uid: number;
  modseq: number;
  /** Space-separated, e.g. `\Seen \Flagged $Label1`. */
  flags: Generated<string>;
  internal_date: number;
  size: number;
  blob_id: string;
  subject: Generated<string>;
  from_addr: Generated<string>;
  to_addr: Generated<string>;
  cc_addr: Generated<string>;
  sent_date: number | null;
  message_id: string | null;
  has_attachments: Generated<number>;
  preview: Generated<string>;
  structure_json: string | null;
  thread_id: string | null;
  /** Space-separated message ids the message refers to (References, In-Reply-To). */
  refs: Generated<string>;
}

export interface MailStateTable {
  account_id: string;
  /** The account's change counter: every committed mail change takes the next value. */
  seq: number;
}

export interface MailUsageTable {
  account_id: string;
  /** The sum of the sizes of the account's message rows (src/store/mailUsage.ts). */
  bytes: number;
}

export interface MailChangesTable {
  account_id: string;
  seq: number;
  kind: string;
  object_id: string;
  /** c(reated), u(pdated) or d(estroyed). */
  op: string;
}

export interface UploadsTable {
  account_id: string;
  blob_id: string;
  type: string;
  size: number;
  created_at: number;
}

export interface EmailSubmissionsTable {
  id: string;
  account_id: string;
  identity_id: string;
  email_id: string;
  thread_id: string;
  envelope: string;
  send_at: number;
}

export interface ThreadKeysTable {
  account_id: string;
  /** `m:<message id>` or `s:<base subject>` (src/mail/threading.ts). */
  key: string;
  thread_id: string;
}

export interface BlobsTable {
  id: string;
  data: Uint8Array;
  size: number;
  touched_at: number;
}

export interface OutboundQueueTable {
  id: string;
  account_id: string | null;
  sender: string;
  /** JSON array of addresses. */
  recipients: string;
  blob_id: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

export interface SearchTokensTable {
  account_id: string;
  /** A word as src/mail/searchTokens.ts cuts it. */
  token: string;
  blob_id: string;
  /** Bits of searchField: where in the Email the word is. */
  fields: number;
}

export interface SearchBacklogTable {
  account_id: string;
  blob_id: string;
  /** Epoch milliseconds (real time): the indexer waits for a quiet moment, and not longer than a bound. */
  queued_at: number;
}

declare module './schema.ts' {
  interface Database {
    mailboxes: MailboxesTable;
    messages: MessagesTable;
    blobs: BlobsTable;
    outbound_queue: OutboundQueueTable;
    mail_state: MailStateTable;
    mail_changes: MailChangesTable;
    mail_usage: MailUsageTable;
    thread_keys: ThreadKeysTable;
    uploads: UploadsTable;
    email_submissions: EmailSubmissionsTable;
    uid_validity_issued: UidValidityIssuedTable;
    orphan_subscriptions: OrphanSubscriptionsTable;
    search_tokens: SearchTokensTable;
    search_backlog: SearchBacklogTable;
  }
}
