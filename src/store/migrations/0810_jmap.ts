import type { Kysely } from 'kysely';

/**
 * The account-wide view JMAP needs over the per-mailbox IMAP rows: a thread per message, one change
 * log per account (Email, Mailbox and Thread states and /changes), and the keys threads are found by.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('thread_id', 'text').execute();
  await db.schema.alterTable('messages').addColumn('refs', 'text', (c) => c.notNull().defaultTo('')).execute();
  // Rows of one Email (the same bytes in several mailboxes) are found by account and blob.
  await db.schema.createIndex('messages_account_blob').on('messages').columns(['account_id', 'blob_id']).execute();
  await db.schema.createIndex('messages_mailbox_date').on('messages').columns(['mailbox_id', 'internal_date']).execute();
  await db.schema.createIndex('messages_account_date').on('messages').columns(['account_id', 'internal_date']).execute();
  await db.schema.createIndex('messages_account_thread').on('messages').columns(['account_id', 'thread_id']).execute();
  await db.schema
    .createTable('mail_state')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mail_changes')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_changes_kind_seq').on('mail_changes').columns(['account_id', 'kind', 'seq']).execute();
  await db.schema
    .createTable('thread_keys')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_keys_pk', ['account_id', 'key'])
    .execute();
  // Blobs a JMAP client uploaded: the blob store is shared by content, so who may use one is kept here.
  await db.schema
    .createTable('uploads')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('uploads_pk', ['account_id', 'blob_id'])
    .execute();
  await db.schema
    .createTable('email_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('identity_id', 'text', (c) => c.notNull())
    .addColumn('email_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    // JSON: {mailFrom, rcptTo} as RFC 8621 §7 writes them.
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_submissions_account').on('email_submissions').columns(['account_id', 'send_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_submissions').execute();
  await db.schema.dropTable('uploads').execute();
  await db.schema.dropTable('thread_keys').execute();
  await db.schema.dropTable('mail_changes').execute();
  await db.schema.dropTable('mail_state').execute();
  await db.schema.dropIndex('messages_account_thread').execute();
  await db.schema.dropIndex('messages_account_date').execute();
  await db.schema.dropIndex('messages_mailbox_date').execute();
  await db.schema.dropIndex('messages_account_blob').execute();
  await db.schema.alterTable('messages').dropColumn('refs').execute();
  await db.schema.alterTable('messages').dropColumn('thread_id').execute();
}
