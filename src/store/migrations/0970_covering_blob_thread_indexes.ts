import type { Kysely } from 'kysely';

/**
 * Lookups by Email (blob) or thread within an account read only these indexes. Without statistics
 * SQLite prefers any covering index to a narrower one: with messages_account_date_id (0932) covering
 * `select thread_id … where account_id = ? and blob_id = ?`, it walked every row of the account
 * instead — per delivered message (thread assignment), per blob download and per removal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account_blob_thread').on('messages').columns(['account_id', 'blob_id', 'thread_id', 'id']).execute();
  await db.schema.createIndex('messages_account_thread_date').on('messages').columns(['account_id', 'thread_id', 'internal_date', 'id', 'blob_id']).execute();
  await db.schema.dropIndex('messages_account_blob').execute();
  await db.schema.dropIndex('messages_account_thread').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_account_thread').on('messages').columns(['account_id', 'thread_id']).execute();
  await db.schema.createIndex('messages_account_blob').on('messages').columns(['account_id', 'blob_id']).execute();
  await db.schema.dropIndex('messages_account_thread_date').execute();
  await db.schema.dropIndex('messages_account_blob_thread').execute();
}
