import type { Kysely } from 'kysely';

/** Client-password expiry and networks (SPEC X11) and the step-up time of web sessions (X9). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_passwords').addColumn('expires_at', 'bigint').execute();
  // Comma-separated CIDR blocks; empty: anywhere.
  await db.schema.alterTable('app_passwords').addColumn('networks', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('app_passwords').addColumn('seen_networks', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('web_sessions').addColumn('step_up_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('web_sessions').dropColumn('step_up_at').execute();
  for (const column of ['seen_networks', 'networks', 'expires_at']) await db.schema.alterTable('app_passwords').dropColumn(column).execute();
}
