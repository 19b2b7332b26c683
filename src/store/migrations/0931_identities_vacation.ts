import type { Kysely } from 'kysely';

/**
 * JMAP Identity (RFC 8621 §6) settings of the account's sending addresses, and its
 * VacationResponse (RFC 8621 §8) with the senders already answered.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identities')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON: EmailAddress[] or null.
    .addColumn('reply_to', 'text')
    .addColumn('bcc', 'text')
    .addColumn('text_signature', 'text', (c) => c.notNull())
    .addColumn('html_signature', 'text', (c) => c.notNull())
    .addColumn('may_delete', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('identities_pk', ['account_id', 'id'])
    .execute();
  await db.schema
    .createTable('vacation_responses')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('is_enabled', 'integer', (c) => c.notNull())
    .addColumn('from_date', 'bigint')
    .addColumn('to_date', 'bigint')
    .addColumn('subject', 'text')
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    // Bumped by every change: a new vacation answers everyone once again.
    .addColumn('period', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('vacation_replies')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('period', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vacation_replies_pk', ['account_id', 'sender'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vacation_replies').execute();
  await db.schema.dropTable('vacation_responses').execute();
  await db.schema.dropTable('identities').execute();
}
