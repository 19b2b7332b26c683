import type { Kysely } from 'kysely';

/** Challenges of passwordless passkey sign-ins (SPEC X1): issued before the account is known, each taken once. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('passkey_challenges')
    .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('passkey_challenges_expires').on('passkey_challenges').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('passkey_challenges').execute();
}
