import type { Kysely } from 'kysely';

/**
 * Emails stored but not yet in the full-text index (src/store/searchIndex.ts): delivery queues
 * them here, in its transaction, and the indexer takes them in batches.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_backlog')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_backlog_pk', ['account_id', 'blob_id'])
    .execute();
  await db.schema.createIndex('search_backlog_queued').on('search_backlog').columns(['queued_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_backlog').execute();
}
