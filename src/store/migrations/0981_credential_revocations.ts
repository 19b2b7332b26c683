import type { Kysely } from 'kysely';

/** Revocations kept for a day, read by nodes that missed them on the bus (Redis away) (SPEC O1, X9). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credential_revocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('credential_revocations_at').on('credential_revocations').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('credential_revocations').execute();
}
