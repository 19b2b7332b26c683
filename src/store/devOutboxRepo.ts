import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DevOutbox, DevOutboxEntry } from '../core/messagePorts.ts';
import type { Database } from './schema.ts';
import type { DevOutboxTable } from './devOutboxTables.ts';
import './devOutboxTables.ts';

let lastMs = 0;
let seq = 0;

/** Ids that sort in insertion order within this process, even when the (fake) clock stands still. */
function sortableId(): string {
  const nowMs = Date.now();
  seq = nowMs === lastMs ? seq + 1 : 0;
  lastMs = nowMs;
  return `${nowMs.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
}

const toEntry = (r: Selectable<DevOutboxTable>): DevOutboxEntry => ({
  id: r.id,
  channel: r.channel,
  to: r.recipient,
  from: r.sender,
  subject: r.subject,
  text: r.body_text,
  html: r.body_html,
  createdAt: new Date(r.created_at),
});

export function devOutboxRepo(db: Kysely<Database>): DevOutbox {
  return {
    async add(entry, now) {
      const row = {
        id: sortableId(),
        channel: entry.channel,
        recipient: entry.to,
        sender: entry.from,
        subject: entry.subject,
        body_text: entry.text,
        body_html: entry.html,
        created_at: now.getTime(),
      };
      await db.insertInto('dev_outbox').values(row).execute();
      return toEntry(row);
    },
    async list(filter = {}) {
      let query = db.selectFrom('dev_outbox').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
      if (filter.to) query = query.where('recipient', '=', filter.to);
      if (filter.channel) query = query.where('channel', '=', filter.channel);
      return (await query.execute()).map(toEntry);
    },
    async get(id) {
      const row = await db.selectFrom('dev_outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toEntry(row);
    },
    async clear() {
      const r = await db.deleteFrom('dev_outbox').executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
