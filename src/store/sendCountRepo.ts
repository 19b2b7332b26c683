import type { Kysely } from 'kysely';
import type { SendCountRepo } from '../core/ports.ts';
import type { Database } from './schema.ts';

export interface CodeSendCountsTable {
  /** `mail:<address>` or `sms:<E.164>`. */
  destination: string;
  /** `YYYY-MM-DD` in the configured time zone. */
  day: string;
  count: number;
}

declare module './schema.ts' {
  interface Database {
    code_send_counts: CodeSendCountsTable;
  }
}

export function sendCountRepo(db: Kysely<Database>): SendCountRepo {
  return {
    async increment(destination, day) {
      const row = await db
        .insertInto('code_send_counts')
        .values({ destination, day, count: 1 })
        .onConflict((oc) => oc.columns(['destination', 'day']).doUpdateSet((eb) => ({ count: eb('code_send_counts.count', '+', 1) })))
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async prune(day) {
      await db.deleteFrom('code_send_counts').where('day', '<', day).execute();
    },
  };
}
