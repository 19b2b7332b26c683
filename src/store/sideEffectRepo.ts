import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { SideEffect, SideEffectKind, SideEffectRepo } from '../core/sideEffects.ts';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';

interface SideEffectsTable {
  id: string;
  kind: SideEffectKind;
  payload: string;
  account_id: string | null;
  attempts: number;
  next_attempt_at: number;
  not_after: number | null;
  given_up: Generated<number>;
  last_error: string | null;
  created_at: number;
}

declare module './schema.ts' {
  interface Database {
    side_effects: SideEffectsTable;
  }
}

const item = (r: Selectable<SideEffectsTable>): SideEffect => ({
  id: r.id, kind: r.kind, payload: r.payload, accountId: r.account_id, attempts: Number(r.attempts), notAfter: r.not_after === null ? null : new Date(Number(r.not_after)),
});

export function sideEffectRepo(store: Store): SideEffectRepo {
  const db: Kysely<Database> = store.db;
  return {
    async add(items, heldUntil) {
      if (items.length === 0) return;
      const now = Date.now();
      await db
        .insertInto('side_effects')
        .values(items.map((i) => ({ id: i.id, kind: i.kind, payload: i.payload, account_id: i.accountId, attempts: i.attempts, next_attempt_at: heldUntil.getTime(), not_after: i.notAfter?.getTime() ?? null, created_at: now })))
        .execute();
    },
    async claim(now, until, limit) {
      // PostgreSQL: rows another node is taking right now are skipped, not waited for. SQLite has one writer.
      const due = db
        .selectFrom('side_effects')
        .select('id')
        .where('given_up', '=', 0)
        .where('next_attempt_at', '<=', now.getTime())
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(store.dialect === 'postgres', (q) => q.modifyEnd(sql`for update skip locked`));
      const rows = await db
        .updateTable('side_effects')
        .set((eb) => ({ next_attempt_at: until.getTime(), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', due)
        .where('next_attempt_at', '<=', now.getTime())
        .returningAll()
        .execute();
      return rows.map(item);
    },
    async done(id) {
      await db.deleteFrom('side_effects').where('id', '=', id).execute();
    },
    async retry(id, next, error) {
      await db.updateTable('side_effects').set({ next_attempt_at: next.getTime(), last_error: error }).where('id', '=', id).execute();
    },
    async giveUp(id, error) {
      await db.updateTable('side_effects').set({ given_up: 1, last_error: error }).where('id', '=', id).execute();
    },
    async pending() {
      const r = await db.selectFrom('side_effects').select((eb) => eb.fn.countAll<number>().as('n')).where('given_up', '=', 0).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
