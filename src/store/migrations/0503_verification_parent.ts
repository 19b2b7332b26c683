import type { Kysely } from 'kysely';

// Issue 19: a bind that replaces a method names the change it completes (used up only when the bind
// completes, so a typo in the new destination can be corrected); resend intervals moved to
// code_send_claims, per purpose and destination.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('verifications').addColumn('parent_id', 'text').execute();
  await db.schema.alterTable('factors').dropColumn('last_sent_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('factors').addColumn('last_sent_at', 'bigint').execute();
  await db.schema.alterTable('verifications').dropColumn('parent_id').execute();
}
