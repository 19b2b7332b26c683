// The full-text index: one row per word, Email (blob) and account, with the fields the word is in.
// Plain B-tree rows, the same on SQLite and PostgreSQL. An Email stored for the first time is queued
// in the transaction that stores its first row (search_backlog); the indexer (src/mail/searchIndexer.ts)
// writes its words later, many Emails per transaction; both go with its last row.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { SearchBacklogRepo } from '../mail/types.ts';
import { compiledStatement } from './compiledQuery.ts';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';
import './mailTables.ts';

type Trx = Kysely<Database>;

const chunk = 400;

const queued = compiledStatement(
  (trx: Trx, accountId: string, queuedAt: number, ...blobIds: string[]) =>
    trx
      .insertInto('search_backlog')
      .values(blobIds.map((blobId) => ({ account_id: accountId, blob_id: blobId, queued_at: queuedAt })))
      .onConflict((oc) => oc.columns(['account_id', 'blob_id']).doNothing()),
  // A delivery queues one Email per recipient account; an APPEND of many, more.
  10,
);

/** Queues Emails stored for the first time in the account, for the indexer. */
export async function queueEmails(trx: Trx, accountId: string, blobIds: string[]): Promise<void> {
  const queuedAt = Date.now();
  for (let i = 0; i < blobIds.length; i += chunk) await queued(trx, accountId, queuedAt, ...blobIds.slice(i, i + chunk));
}

export async function unindexEmails(trx: Trx, accountId: string, blobIds: string[]): Promise<void> {
  for (let i = 0; i < blobIds.length; i += chunk) {
    const part = blobIds.slice(i, i + chunk);
    await trx.deleteFrom('search_tokens').where('account_id', '=', accountId).where('blob_id', 'in', part).execute();
    await trx.deleteFrom('search_backlog').where('account_id', '=', accountId).where('blob_id', 'in', part).execute();
  }
}

/**
 * Index rows per statement: 256, and what remains in powers of two, so that a few compiled shapes
 * serve every batch (building a statement of hundreds of rows costs more than running it).
 */
const rowsPerInsert = (left: number) => (left >= 256 ? 256 : 2 ** Math.floor(Math.log2(left)));

const wordRows = compiledStatement((trx: Trx, ...values: (string | number)[]) =>
  trx
    .insertInto('search_tokens')
    .values(Array.from({ length: values.length / 4 }, (_, r) => ({ account_id: values[4 * r] as string, token: values[4 * r + 1] as string, blob_id: values[4 * r + 2] as string, fields: values[4 * r + 3] as number })))
    .onConflict((oc) => oc.columns(['account_id', 'token', 'blob_id']).doNothing()),
);

export function searchBacklogRepo(store: Store): SearchBacklogRepo {
  const { db } = store;
  return {
    async waiting(accountId, limit) {
      let q = db.selectFrom('search_backlog').select(['account_id', 'blob_id']).orderBy('queued_at').limit(limit);
      if (accountId !== null) q = q.where('account_id', '=', accountId);
      return (await q.execute()).map((r) => ({ accountId: r.account_id, blobId: r.blob_id }));
    },
    async times() {
      const r = await db
        .selectFrom('search_backlog')
        .select((eb) => [eb.fn.min<number>('queued_at').as('oldest'), eb.fn.max<number>('queued_at').as('newest')])
        .executeTakeFirst();
      return r?.oldest == null ? null : { oldest: Number(r.oldest), newest: Number(r.newest) };
    },
    async index(emails) {
      await db.transaction().execute(async (trx) => {
        const byAccount = Map.groupBy(emails, (e) => e.accountId);
        const rows: Database['search_tokens'][] = [];
        for (const [accountId, list] of byAccount) {
          for (let i = 0; i < list.length; i += chunk) {
            const part = list.slice(i, i + chunk);
            // Only what is still queued: an Email removed meanwhile took its queue row with it.
            const taken = await trx
              .deleteFrom('search_backlog')
              .where('account_id', '=', accountId)
              .where('blob_id', 'in', part.map((e) => e.blobId))
              .returning('blob_id')
              .execute();
            const still = new Set(taken.map((r) => r.blob_id));
            for (const e of part) if (still.has(e.blobId)) for (const [token, fields] of e.words) rows.push({ account_id: accountId, token, blob_id: e.blobId, fields });
          }
        }
        // In index order: consecutive rows land on the same pages.
        rows.sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : a.token < b.token ? -1 : a.token > b.token ? 1 : a.blob_id < b.blob_id ? -1 : a.blob_id > b.blob_id ? 1 : 0));
        for (let i = 0; i < rows.length; ) {
          const n = rowsPerInsert(rows.length - i);
          await wordRows(trx, ...rows.slice(i, i + n).flatMap((r) => [r.account_id, r.token, r.blob_id, r.fields]));
          i += n;
        }
      });
    },
  };
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
