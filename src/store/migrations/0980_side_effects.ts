import type { Kysely } from 'kysely';

/** Security notices and code messages written with the change they report, sent by whichever node claims them (SPEC O1, X4). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('side_effects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('not_after', 'bigint')
    .addColumn('given_up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('side_effects_due').on('side_effects').columns(['given_up', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('side_effects').execute();
}
