// The full-text index: one row per word, Email (blob) and account, with the fields the word is in.
// Plain B-tree rows, the same on SQLite and PostgreSQL; written in the transaction that stores the
// Email's first row and removed with its last.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import './mailTables.ts';

type Trx = Kysely<Database>;

const chunk = 400;

/** Indexes Emails stored for the first time; the rows go in word order, a chunk per statement. */
export async function indexEmails(trx: Trx, accountId: string, emails: { blobId: string; tokens?: [string, number][] }[]): Promise<void> {
  const rows = emails.flatMap((e) => (e.tokens ?? []).map(([token, fields]) => ({ account_id: accountId, token, blob_id: e.blobId, fields })));
  rows.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : a.blob_id < b.blob_id ? -1 : a.blob_id > b.blob_id ? 1 : 0));
  for (let i = 0; i < rows.length; i += chunk) {
    await trx
      .insertInto('search_tokens')
      .values(rows.slice(i, i + chunk))
      .onConflict((oc) => oc.columns(['account_id', 'token', 'blob_id']).doNothing())
      .execute();
  }
}

export async function unindexEmails(trx: Trx, accountId: string, blobIds: string[]): Promise<void> {
  for (let i = 0; i < blobIds.length; i += chunk) {
    await trx.deleteFrom('search_tokens').where('account_id', '=', accountId).where('blob_id', 'in', blobIds.slice(i, i + chunk)).execute();
  }
}

/**
 * The message row's Email has every one of `tokens` in one of the fields of `mask`; none: nothing
 * matches. Each word's Emails are one uncorrelated subquery, read once per query from the index.
 */
export function hasTokens(eb: ExpressionBuilder<Database, 'messages'>, accountId: string, tokens: string[], mask: number): Expression<SqlBool> {
  if (tokens.length === 0) return sql<SqlBool>`1 = 0`;
  return eb.and(
    tokens.map((token) =>
      eb(
        'messages.blob_id',
        'in',
        eb
          .selectFrom('search_tokens')
          .select('search_tokens.blob_id')
          .where('search_tokens.account_id', '=', accountId)
          .where('search_tokens.token', '=', token)
          .where(sql<SqlBool>`(search_tokens.fields & ${mask}) <> 0`),
      ),
    ),
  );
}
