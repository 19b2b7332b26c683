import type { Kysely } from 'kysely';
import type { ResendClaims } from '../core/ports.ts';
import type { Database } from './schema.ts';

export interface CodeSendClaimsTable {
  /** `<method>:<account id>:<purpose>:<destination>`. */
  key: string;
  sent_at: number;
}

declare module './schema.ts' {
  interface Database {
    code_send_claims: CodeSendClaimsTable;
  }
}

/** When a code last went out, per key, in the database: atomic across nodes. */
export function resendClaimRepo(db: Kysely<Database>): ResendClaims {
  const waiting = async (key: string, now: Date, intervalMs: number) => {
    const last = await db.selectFrom('code_send_claims').select('sent_at').where('key', '=', key).executeTakeFirst();
    return last ? Math.max(0, Number(last.sent_at) + intervalMs - now.getTime()) : 0;
  };
  return {
    async claim(key, now, intervalMs) {
      const at = now.getTime();
      const claimed = await db
        .insertInto('code_send_claims')
        .values({ key, sent_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ sent_at: at }).where('code_send_claims.sent_at', '<=', at - intervalMs))
        .returning('sent_at')
        .executeTakeFirst();
      return claimed ? 0 : Math.max(1, await waiting(key, now, intervalMs));
    },
    waiting,
    async release(key, sentAt) {
      await db.deleteFrom('code_send_claims').where('key', '=', key).where('sent_at', '=', sentAt.getTime()).execute();
    },
    async removeBefore(before) {
      await db.deleteFrom('code_send_claims').where('sent_at', '<', before.getTime()).execute();
    },
  };
}
