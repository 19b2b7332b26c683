import type { Kysely, Selectable } from 'kysely';
import type { FactorRecord, FactorRepo, MethodKind } from '../core/ports.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import type { FactorsTable } from './twoFactorTables.ts';
import './twoFactorTables.ts';

const date = (v: number | null): Date | null => (v === null ? null : new Date(v));

const toRecord = (r: Selectable<FactorsTable>): FactorRecord => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind as MethodKind,
  label: r.label,
  sealedData: r.sealed_data,
  counter: r.counter,
  confirmedAt: date(r.confirmed_at),
  blockedUntil: date(r.blocked_until),
  lastUsedAt: date(r.last_used_at),
  createdAt: new Date(r.created_at),
});

const changed = (r: { numUpdatedRows: bigint } | { numDeletedRows: bigint }): boolean =>
  Number('numUpdatedRows' in r ? r.numUpdatedRows : r.numDeletedRows) > 0;

export function factorRepo(db: Kysely<Database>): FactorRepo {
  // Whether 2FA is on is asked by every sign-in.
  const confirmed = compiledQuery(db, (accountId: string) =>
    db.selectFrom('factors').selectAll().where('account_id', '=', accountId).where('confirmed_at', 'is not', null).orderBy('confirmed_at'),
  );
  return {
    async insert(f) {
      await db
        .insertInto('factors')
        .values({
          id: f.id,
          account_id: f.accountId,
          kind: f.kind,
          label: f.label,
          sealed_data: f.sealedData,
          counter: f.counter,
          confirmed_at: f.confirmedAt?.getTime() ?? null,
          blocked_until: f.blockedUntil?.getTime() ?? null,
          last_used_at: f.lastUsedAt?.getTime() ?? null,
          created_at: f.createdAt.getTime(),
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('factors').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRecord(r);
    },
    async listConfirmed(accountId) {
      return (await confirmed(accountId)).map(toRecord);
    },
    async confirm(id, now, replaces) {
      return db.transaction().execute(async (trx) => {
        const pending = await trx.selectFrom('factors').select(['account_id', 'kind']).where('id', '=', id).where('confirmed_at', 'is', null).executeTakeFirst();
        if (!pending) return false;
        const others = trx.deleteFrom('factors').where('account_id', '=', pending.account_id).where('kind', '=', pending.kind).where('id', '!=', id);
        if (replaces === undefined) await others.execute();
        else if (replaces !== null) await others.where('id', '=', replaces).execute();
        return changed(await trx.updateTable('factors').set({ confirmed_at: now.getTime() }).where('id', '=', id).where('confirmed_at', 'is', null).executeTakeFirst());
      });
    },
    async setLabel(accountId, id, label) {
      return changed(await db.updateTable('factors').set({ label }).where('id', '=', id).where('account_id', '=', accountId).where('confirmed_at', 'is not', null).executeTakeFirst());
    },
    async remove(accountId, id) {
      return changed(await db.deleteFrom('factors').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst());
    },
    async swapData(id, expected, sealedData) {
      const r = await db.updateTable('factors').set({ sealed_data: sealedData }).where('id', '=', id).where('sealed_data', '=', expected).where('confirmed_at', 'is not', null).executeTakeFirst();
      return changed(r);
    },
    async removeAll(accountId) {
      return Number((await db.deleteFrom('factors').where('account_id', '=', accountId).executeTakeFirst()).numDeletedRows);
    },
    async advanceCounter(id, value) {
      const r = await db
        .updateTable('factors')
        .set({ counter: value })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('counter', 'is', null), eb('counter', '<', value)]))
        .executeTakeFirst();
      return changed(r);
    },
    async setBlockedUntil(id, until) {
      await db.updateTable('factors').set({ blocked_until: until.getTime() }).where('id', '=', id).execute();
    },
    async setPendingData(id, sealedData, label) {
      const fields = label === undefined ? { sealed_data: sealedData } : { sealed_data: sealedData, label };
      return changed(await db.updateTable('factors').set(fields).where('id', '=', id).where('confirmed_at', 'is', null).executeTakeFirst());
    },
    async setLastUsed(id, now) {
      await db.updateTable('factors').set({ last_used_at: now.getTime() }).where('id', '=', id).execute();
    },
    async removeStalePending(before) {
      const r = await db.deleteFrom('factors').where('confirmed_at', 'is', null).where('created_at', '<', before.getTime()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
