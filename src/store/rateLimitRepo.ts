import type { Kysely } from 'kysely';
import type { RateLimiter } from '../core/ports.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import './twoFactorTables.ts';

const windowStart = (now: Date, windowMs: number): number => Math.floor(now.getTime() / windowMs) * windowMs;

/** Fixed-window counters in the database: shared by every node that shares the database. */
export function databaseRateLimiter(db: Kysely<Database>): RateLimiter {
  // Counted on every JMAP request (maxConcurrentRequests) and every login: compiled once.
  const count = compiledQuery(db, (key: string, start: number, limit: number) =>
    db.updateTable('rate_limits').set((eb) => ({ used: eb('used', '+', 1) })).where('key', '=', key).where('window_start', '=', start).where('used', '<', limit).returning('used'),
  );
  // Every password attempt peeks at up to three counters (core/lockout.ts).
  const used = compiledQuery(db, (key: string, start: number) => db.selectFrom('rate_limits').select('used').where('key', '=', key).where('window_start', '=', start));
  const giveBack = compiledQuery(db, (key: string, start: number) =>
    db.updateTable('rate_limits').set((eb) => ({ used: eb('used', '-', 1) })).where('key', '=', key).where('window_start', '=', start).where('used', '>', 0),
  );
  return {
    async consume(key, limit, windowMs, now) {
      const start = windowStart(now, windowMs);
      const retryAfterMs = start + windowMs - now.getTime();
      // A concurrent first insert of the same key can make the upsert miss once; the retry then counts.
      for (let round = 0; round < 2; round++) {
        const [counted] = await count(key, start, limit);
        if (counted) return { ok: true, used: counted.used, retryAfterMs };
        const opened = await db
          .insertInto('rate_limits')
          .values({ key, window_start: start, used: 1 })
          .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: start, used: 1 }).where('rate_limits.window_start', '<', start))
          .returning('used')
          .executeTakeFirst();
        if (opened) return { ok: true, used: 1, retryAfterMs };
        const current = await db.selectFrom('rate_limits').select(['used', 'window_start']).where('key', '=', key).executeTakeFirst();
        if (current && current.window_start === start && current.used >= limit) return { ok: false, used: current.used, retryAfterMs };
      }
      return { ok: false, used: limit, retryAfterMs };
    },
    async peek(key, windowMs, now) {
      const start = windowStart(now, windowMs);
      const [row] = await used(key, start);
      return { used: row?.used ?? 0, retryAfterMs: start + windowMs - now.getTime() };
    },
    async refund(key, windowMs, now) {
      await giveBack(key, windowStart(now, windowMs));
    },
  };
}
