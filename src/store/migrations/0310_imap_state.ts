import { sql, type Kysely } from 'kysely';

/** \Recent (RFC 3501): the first UID no session has seen yet; and the last UIDVALIDITY an account was given. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mailboxes').addColumn('recent_uid', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  await sql`UPDATE mailboxes SET recent_uid = uid_next`.execute(db);
  await db.schema
    .createTable('uid_validity_issued')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('last', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('uid_validity_issued').execute();
  await db.schema.alterTable('mailboxes').dropColumn('recent_uid').execute();
}
