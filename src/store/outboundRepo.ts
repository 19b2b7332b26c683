import { randomBytes } from 'node:crypto';
import type { OutboundItem, OutboundRepo } from '../mail/relayQueue.ts';
import type { Store } from './db.ts';
import './mailTables.ts';

export function outboundRepo(store: Store): OutboundRepo {
  const { db } = store;
  return {
    async insert(item) {
      const id = randomBytes(12).toString('base64url');
      await db
        .insertInto('outbound_queue')
        .values({
          id,
          account_id: item.accountId,
          sender: item.sender,
          recipients: JSON.stringify(item.recipients),
          blob_id: item.blobId,
          next_attempt_at: item.nextAttemptAt.getTime(),
          created_at: item.createdAt.getTime(),
        })
        .execute();
      await store.durable();
      return id;
    },
    async due(now, limit) {
      const rows = await db.selectFrom('outbound_queue').selectAll().where('next_attempt_at', '<=', now.getTime()).orderBy('next_attempt_at').limit(limit).execute();
      return rows.map(
        (r): OutboundItem => ({
          id: r.id,
          accountId: r.account_id,
          sender: r.sender,
          recipients: JSON.parse(r.recipients) as string[],
          blobId: r.blob_id,
          attempts: r.attempts,
          nextAttemptAt: new Date(r.next_attempt_at),
          createdAt: new Date(r.created_at),
          lastError: r.last_error,
        }),
      );
    },
    async claim(id, seen, until) {
      const r = await db
        .updateTable('outbound_queue')
        .set({ next_attempt_at: until.getTime() })
        .where('id', '=', id)
        .where('next_attempt_at', '=', seen.getTime())
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async reschedule(id, attempts, next, error) {
      await db.updateTable('outbound_queue').set({ attempts, next_attempt_at: next.getTime(), last_error: error.slice(0, 1000) }).where('id', '=', id).execute();
    },
    async remove(id) {
      await db.deleteFrom('outbound_queue').where('id', '=', id).execute();
    },
    async count() {
      const r = await db.selectFrom('outbound_queue').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
