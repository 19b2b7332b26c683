import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The admin console (SPEC X5, X12): per-domain 2FA policy and help-desk contacts, per-account
 * exemptions, aliases, reminder notices sent once, the actor of audit events, and an index that
 * answers an address-prefix search without a scan on both databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('domain_policies')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('two_factor', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('help_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('help_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('two_factor_exemptions')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('aliases')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('aliases_account').on('aliases').column('account_id').execute();
  await db.schema
    .createTable('policy_reminders')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_reminders_pk', ['account_id', 'ends_at', 'days'])
    .execute();
  await db.schema.alterTable('audit_events').addColumn('actor', 'text').execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor', 'at']).execute();
  await db.schema.createIndex('audit_events_type').on('audit_events').columns(['type', 'at']).execute();
  // SQLite's unique index on address already orders by bytes; PostgreSQL's follows the locale, so a
  // prefix range needs one in the C collation.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`create index accounts_address_c on accounts (address collate "C")`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists accounts_address_c`.execute(db);
  for (const index of ['audit_events_type', 'audit_events_actor', 'audit_events_at']) await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('audit_events').dropColumn('actor').execute();
  for (const table of ['policy_reminders', 'aliases', 'two_factor_exemptions', 'domain_policies']) await db.schema.dropTable(table).execute();
}
