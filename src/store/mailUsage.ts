// The account's quota usage: the sum of the sizes of its message rows (a copy counts again), kept in
// mail_usage by the transactions that insert and remove the rows (migration 0982).
import type { Kysely } from 'kysely';
import { compiledStatement } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import './mailTables.ts';

/**
 * Adds `bytes` (negative for removed rows) to the account's usage and returns the new total. One
 * statement adding to the stored value: concurrent transactions, on other nodes too, queue on the
 * row and none loses another's change.
 */
export async function addUsage(trx: Kysely<Database>, accountId: string, bytes: number): Promise<number> {
  const [r] = await usageAdded(trx, accountId, bytes);
  return Number(r.bytes);
}

const usageAdded = compiledStatement((trx: Kysely<Database>, accountId: string, bytes: number) =>
  trx
    .insertInto('mail_usage')
    .values({ account_id: accountId, bytes })
    .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ bytes: eb('mail_usage.bytes', '+', eb.ref('excluded.bytes')) })))
    .returning('bytes'),
);

export const sizeOf = (rows: { size: number }[]): number => rows.reduce((n, r) => n + r.size, 0);
