import type { Kysely } from 'kysely';

/**
 * Message lists are read by account and mailbox, newest first with the row id as tie-break
 * (src/store/emailRepo.ts): with every term in the index, the first page of a mailbox (or of the
 * account) reads just its rows in index order, whatever the sizes, instead of scanning the account
 * or sorting ties in a temporary B-tree; and from the index alone (it holds the Email and thread ids).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account_mailbox_date_id').on('messages').columns(['account_id', 'mailbox_id', 'internal_date', 'id', 'blob_id', 'thread_id']).execute();
  await db.schema.createIndex('messages_account_date_id').on('messages').columns(['account_id', 'internal_date', 'id', 'blob_id', 'thread_id']).execute();
  await db.schema.dropIndex('messages_mailbox_date').execute();
  await db.schema.dropIndex('messages_account_date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account_date').on('messages').columns(['account_id', 'internal_date']).execute();
  await db.schema.createIndex('messages_mailbox_date').on('messages').columns(['mailbox_id', 'internal_date']).execute();
  await db.schema.dropIndex('messages_account_date_id').execute();
  await db.schema.dropIndex('messages_account_mailbox_date_id').execute();
}
