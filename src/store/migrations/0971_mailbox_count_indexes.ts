import type { Kysely } from 'kysely';

/**
 * A mailbox's counts from compact indexes instead of its wide rows: Emails (count of distinct blobs,
 * read in blob order, no temporary B-tree) and threads and unread (Mailbox/get, collapsed totals).
 * At 100 000 messages these took a second each over the rows. `messages_account` is a prefix of
 * every account index: dropped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account_mailbox_blob').on('messages').columns(['account_id', 'mailbox_id', 'blob_id']).execute();
  await db.schema.createIndex('messages_account_mailbox_thread_flags').on('messages').columns(['account_id', 'mailbox_id', 'thread_id', 'flags']).execute();
  await db.schema.dropIndex('messages_account').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account').on('messages').column('account_id').execute();
  await db.schema.dropIndex('messages_account_mailbox_thread_flags').execute();
  await db.schema.dropIndex('messages_account_mailbox_blob').execute();
}
