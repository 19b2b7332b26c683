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

export interface CodeSendClaimsTable {
  /** `<method>:<account id>`. */
  key: string;
  sent_at: number;
}

declare module './schema.ts' {
  interface Database {
    code_send_counts: CodeSendCountsTable;
    code_send_claims: CodeSendClaimsTable;
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
    async claim(key, now, intervalMs) {
      const at = now.getTime();
      const claimed = await db
        .insertInto('code_send_claims')
        .values({ key, sent_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ sent_at: at }).where('code_send_claims.sent_at', '<=', at - intervalMs))
        .returning('sent_at')
        .executeTakeFirst();
      if (claimed) return 0;
      const last = await db.selectFrom('code_send_claims').select('sent_at').where('key', '=', key).executeTakeFirstOrThrow();
      return Math.max(1, Number(last.sent_at) + intervalMs - at);
    },
    async release(key, sentAt) {
      await db.deleteFrom('code_send_claims').where('key', '=', key).where('sent_at', '=', sentAt.getTime()).execute();
    },
  };
}
