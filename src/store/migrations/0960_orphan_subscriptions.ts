import type { Kysely } from 'kysely';

/** IMAP subscriptions that outlive their mailbox (RFC 3501 §6.3.6): LSUB and LIST (SUBSCRIBED) still show them. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orphan_subscriptions')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('orphan_subscriptions_pk', ['account_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('orphan_subscriptions').execute();
}
