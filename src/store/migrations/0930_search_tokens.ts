import type { Kysely } from 'kysely';
import { messageTokens } from '../../mail/searchTokens.ts';

/**
 * The full-text index of Emails (src/store/searchIndex.ts). Mail stored before it is indexed from
 * what its rows keep: the header fields and the start of the text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_tokens_pk', ['account_id', 'token', 'blob_id'])
    .execute();
  await db.schema.createIndex('search_tokens_blob').on('search_tokens').columns(['account_id', 'blob_id']).execute();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'account_id', 'blob_id', 'subject', 'from_addr', 'to_addr', 'cc_addr', 'preview'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    for (const r of rows) {
      const tokens = [...messageTokens({ subject: r.subject, from: r.from_addr, to: r.to_addr, cc: r.cc_addr, preview: r.preview })];
      if (tokens.length === 0) continue;
      await db
        .insertInto('search_tokens')
        .values(tokens.map(([token, fields]) => ({ account_id: r.account_id, token, blob_id: r.blob_id, fields })))
        .onConflict((oc) => oc.columns(['account_id', 'token', 'blob_id']).doNothing())
        .execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_tokens').execute();
}
