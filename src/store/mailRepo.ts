import { randomBytes } from 'node:crypto';
import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import { PosternError } from '../core/errors.ts';
import type { FlagChange, MailboxRecord, MailRepo, MessageRecord, SpecialUse, UidRanges } from '../mail/types.ts';
import { compiledQuery, compiledStatement } from './compiledQuery.ts';
import type { Store } from './db.ts';
import { assignThreads, ChangeSet, chunks, emailIdOf, noteRemoved } from './mailChanges.ts';
import { queueEmails } from './searchIndex.ts';
import { addUsage, sizeOf } from './mailUsage.ts';
import type { MailboxesTable, MessagesTable } from './mailTables.ts';
import type { Database } from './schema.ts';
import './mailTables.ts';

const newId = () => randomBytes(12).toString('base64url');

const toMailbox = (r: Selectable<MailboxesTable>): MailboxRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  specialUse: r.special_use as SpecialUse | null,
  subscribed: r.subscribed === 1,
  uidValidity: r.uid_validity,
  uidNext: r.uid_next,
  highestModseq: r.highest_modseq,
  recentUid: r.recent_uid,
});

const splitFlags = (s: string): string[] => (s ? s.split(' ') : []);

const toMessage = (r: MessageRow): MessageRecord => ({
  id: r.id,
  mailboxId: r.mailbox_id,
  uid: r.uid,
  modseq: r.modseq,
  flags: splitFlags(r.flags),
  internalDate: new Date(r.internal_date),
  size: r.size,
  blobId: r.blob_id,
  subject: r.subject,
  from: r.from_addr,
  to: r.to_addr,
  cc: r.cc_addr,
  sentDate: r.sent_date === null ? null : new Date(r.sent_date),
  messageId: r.message_id,
  references: splitFlags(r.refs),
  threadId: r.thread_id,
  hasAttachments: r.has_attachments === 1,
  preview: r.preview,
  structureJson: r.structure_json ?? null,
});

/** A row as read; the IMAP structure cache may be left out. */
type MessageRow = Omit<Selectable<MessagesTable>, 'structure_json'> & { structure_json?: string | null };

/** Rows as records, for the other repositories over the messages table. */
export const mailRepoRows = (rows: MessageRow[]): MessageRecord[] => rows.map(toMessage);

function inRanges(uids: UidRanges) {
  return (eb: ExpressionBuilder<Database, 'messages'>) =>
    eb.or(uids.map(([from, to]) => (Number.isFinite(to) ? eb.between('uid', Math.min(from, to), Math.max(from, to)) : eb('uid', '>=', from))));
}

/**
 * A message's flags are one column, in an index: PostgreSQL refuses an index entry over about 2.7 KB,
 * so a client heaping on keywords is told no, well below that, before the database would fail.
 */
export const maxFlagsLength = 1000;
function flagsText(flags: string[]): string {
  const text = flags.join(' ');
  if (text.length > maxFlagsLength) throw new PosternError('too_many_keywords', { max: maxFlagsLength });
  return text;
}

/** IMAP flags are case-insensitive: one spelling per flag, system flags as RFC 3501 writes them. */
function applyFlags(current: string[], op: 'set' | 'add' | 'remove', flags: string[]): string[] {
  const key = (f: string) => f.toLowerCase();
  const given = new Map(flags.map((f) => [key(f), f]));
  if (op === 'set') return [...given.values()];
  const result = new Map(current.map((f) => [key(f), f]));
  for (const [k, f] of given) {
    if (op === 'add') result.set(k, result.get(k) ?? f);
    else result.delete(k);
  }
  return [...result.values()];
}

const sameFlags = (a: string[], b: string[]) => a.length === b.length && a.every((f) => b.some((g) => g.toLowerCase() === f.toLowerCase()));

export function mailRepo(store: Store): MailRepo {
  const { db } = store;
  const pg = store.dialect === 'postgres';

  // Every delivery's statements (compiledQuery.ts).
  const uidsTaken = compiledStatement((trx: typeof db, mailboxId: string, count: number) =>
    trx
      .updateTable('mailboxes')
      .set((eb) => ({ uid_next: eb('uid_next', '+', count), highest_modseq: eb('highest_modseq', '+', 1) }))
      .where('id', '=', mailboxId)
      .returning(['uid_next', 'highest_modseq', 'account_id']),
  );
  // A message row's values go in this order; a statement of one row (a delivery) is kept compiled.
  const messageColumns = ['id', 'mailbox_id', 'account_id', 'uid', 'modseq', 'flags', 'internal_date', 'size', 'blob_id', 'subject', 'from_addr', 'to_addr', 'cc_addr', 'sent_date', 'message_id', 'has_attachments', 'preview', 'structure_json', 'thread_id', 'refs'] as const;
  type NewMessageRow = Insertable<MessagesTable> & Record<(typeof messageColumns)[number], string | number | null>;
  const messagesAdded = compiledStatement(
    (trx: typeof db, ...values: (string | number | null)[]) =>
      trx.insertInto('messages').values(chunks(values, messageColumns.length).map((row) => Object.fromEntries(messageColumns.map((c, k) => [c, row[k]])) as NewMessageRow)),
    messageColumns.length,
  );

  /** Locks the mailbox row (PostgreSQL; SQLite transactions are serial) and bumps its modseq. */
  async function lockMailbox(trx: typeof db, mailboxId: string) {
    const box = await trx
      .selectFrom('mailboxes')
      .select(['highest_modseq', 'account_id'])
      .where('id', '=', mailboxId)
      .$if(pg, (q) => q.forUpdate())
      .executeTakeFirst();
    if (!box) throw new PosternError('mailbox_deleted');
    return box;
  }

  async function bumpModseq(trx: typeof db, mailboxId: string): Promise<number> {
    const r = await trx
      .updateTable('mailboxes')
      .set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
      .where('id', '=', mailboxId)
      .returning('highest_modseq')
      .executeTakeFirstOrThrow();
    return r.highest_modseq;
  }

  // What every IMAP command asks (compiledQuery.ts): its mailbox, the account's mailboxes, the messages' flags.
  const mailboxesOf = compiledQuery(db, (accountId: string) => db.selectFrom('mailboxes').selectAll().where('account_id', '=', accountId).orderBy('name'));
  const mailboxNamed = compiledQuery(db, (accountId: string, name: string) => db.selectFrom('mailboxes').selectAll().where('account_id', '=', accountId).where('name', '=', name));
  const mailboxById = compiledQuery(db, (id: string) => db.selectFrom('mailboxes').selectAll().where('id', '=', id));
  const metaOf = compiledQuery(db, (mailboxId: string) => db.selectFrom('messages').select(['uid', 'flags', 'modseq', 'internal_date', 'size']).where('mailbox_id', '=', mailboxId).orderBy('uid'));
  const usageOf = compiledQuery(db, (accountId: string) => db.selectFrom('mail_usage').select('bytes').where('account_id', '=', accountId));
  const orphansOf = compiledQuery(db, (accountId: string) => db.selectFrom('orphan_subscriptions').select('name').where('account_id', '=', accountId).orderBy('name'));

  return {
    async listMailboxes(accountId) {
      return (await mailboxesOf(accountId)).map(toMailbox);
    },
    async findMailbox(accountId, name) {
      const [r] = await mailboxNamed(accountId, name);
      return r && toMailbox(r);
    },
    async getMailbox(id) {
      const [r] = await mailboxById(id);
      return r && toMailbox(r);
    },
    async insertMailboxes(accountId, boxes, now) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('mailboxes').select(['name', 'uid_validity']).where('account_id', '=', accountId).execute();
        const taken = new Set(existing.map((b) => b.name));
        const adding = boxes.filter((b) => !taken.has(b.name));
        if (!adding.length) return;
        // UIDVALIDITY must differ from any earlier mailbox of the same name, deleted ones included:
        // seconds, kept ahead of the last one the account was given.
        const issued = await trx.selectFrom('uid_validity_issued').select('last').where('account_id', '=', accountId).$if(pg, (q) => q.forUpdate()).executeTakeFirst();
        let validity = Math.max(Math.floor(now.getTime() / 1000), (issued?.last ?? 0) + 1, ...existing.map((b) => b.uid_validity + 1));
        const changes = new ChangeSet();
        for (const box of adding) {
          const id = newId();
          const inserted = await trx
            .insertInto('mailboxes')
            .values({ id, account_id: accountId, name: box.name, special_use: box.specialUse, subscribed: box.subscribed === false ? 0 : 1, uid_validity: validity++ % 2 ** 32, created_at: now.getTime() })
            .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (inserted) changes.add('Mailbox', id, 'c');
        }
        await trx
          .insertInto('uid_validity_issued')
          .values({ account_id: accountId, last: validity - 1 })
          .onConflict((oc) => oc.column('account_id').doUpdateSet({ last: validity - 1 }))
          .execute();
        await changes.write(trx, accountId);
      });
    },
    async renameMailbox(accountId, from, to) {
      return db.transaction().execute(async (trx) => {
        const boxes = await trx.selectFrom('mailboxes').select(['id', 'name']).where('account_id', '=', accountId).execute();
        const names = new Set(boxes.map((b) => b.name));
        const moving = boxes.filter((b) => b.name === from || b.name.startsWith(from + '/'));
        const renamed = moving.map((b) => ({ id: b.id, name: to + b.name.slice(from.length) }));
        if (renamed.some((b) => names.has(b.name))) return false;
        const changes = new ChangeSet();
        for (const b of renamed) {
          await trx.updateTable('mailboxes').set({ name: b.name }).where('id', '=', b.id).execute();
          changes.add('Mailbox', b.id, 'u');
        }
        await changes.write(trx, accountId);
        return true;
      });
    },
    async deleteMailbox(id) {
      await db.transaction().execute(async (trx) => {
        const box = await lockMailbox(trx, id);
        const gone = await trx.selectFrom('messages').select(['blob_id', 'thread_id', 'size']).where('mailbox_id', '=', id).execute();
        await trx.deleteFrom('mailboxes').where('id', '=', id).execute();
        const changes = new ChangeSet().add('Mailbox', id, 'd');
        await noteRemoved(trx, box.account_id, gone, changes);
        if (gone.length > 0) await addUsage(trx, box.account_id, -sizeOf(gone));
        await changes.write(trx, box.account_id);
      });
    },
    async setSubscribed(id, subscribed) {
      await db.transaction().execute(async (trx) => {
        const box = await lockMailbox(trx, id);
        await trx.updateTable('mailboxes').set({ subscribed: subscribed ? 1 : 0 }).where('id', '=', id).execute();
        await new ChangeSet().add('Mailbox', id, 'u').write(trx, box.account_id);
      });
    },
    async listOrphanSubscriptions(accountId) {
      return (await orphansOf(accountId)).map((r) => r.name);
    },
    async setOrphanSubscription(accountId, name, subscribed) {
      if (subscribed) {
        await db.insertInto('orphan_subscriptions').values({ account_id: accountId, name }).onConflict((oc) => oc.columns(['account_id', 'name']).doNothing()).execute();
        return true;
      }
      const r = await db.deleteFrom('orphan_subscriptions').where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async usage(accountId) {
      const [r] = await usageOf(accountId);
      return Number(r?.bytes ?? 0);
    },
    async insertMessages(mailboxId, messages, maxUsage) {
      const inserted = await db.transaction().execute(async (trx) => {
        // The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite): concurrent deliveries queue here.
        const [box] = await uidsTaken(trx, mailboxId, messages.length);
        if (!box) throw new PosternError('mailbox_deleted');
        const first = box.uid_next - messages.length;
        const uids = messages.map((_, i) => first + i);
        const changes = new ChangeSet().add('Mailbox', mailboxId, 'u');
        const threads = await assignThreads(trx, box.account_id, messages.map((m) => ({ ...m.summary, blobId: m.blobId })), changes);
        messages.forEach((m, i) => changes.add('Email', emailIdOf(m.blobId), threads[i].newEmail ? 'c' : 'u'));
        await queueEmails(trx, box.account_id, messages.filter((_, i) => threads[i].newEmail).map((m) => m.blobId));
        // A row has 20 values: 1 000 rows stay below SQLite's 32 766 parameters per statement.
        for (const part of chunks(messages.map((m, i) => ({ m, i })), 1000)) {
          await messagesAdded(
            trx,
            ...part.flatMap(({ m, i }) => {
              const row: NewMessageRow = {
                id: newId(),
                mailbox_id: mailboxId,
                account_id: box.account_id,
                uid: uids[i],
                modseq: box.highest_modseq,
                flags: flagsText(m.flags),
                internal_date: m.internalDate.getTime(),
                size: m.size,
                blob_id: m.blobId,
                subject: m.summary.subject,
                from_addr: m.summary.from,
                to_addr: m.summary.to,
                cc_addr: m.summary.cc,
                sent_date: m.summary.sentDate?.getTime() ?? null,
                message_id: m.summary.messageId,
                has_attachments: m.summary.hasAttachments ? 1 : 0,
                preview: m.summary.preview,
                structure_json: m.structureJson ?? null,
                thread_id: threads[i].threadId,
                refs: m.summary.references.join(' '),
              };
              return messageColumns.map((c) => row[c]);
            }),
          );
        }
        // Counted and checked in one statement. Every writer locks the usage row last, just before mail_state's
        // (changes.write): the same order everywhere, so no two deliveries wait on each other's locks.
        if ((await addUsage(trx, box.account_id, sizeOf(messages))) > (maxUsage ?? Infinity)) throw new PosternError('quota_exceeded');
        await changes.write(trx, box.account_id);
        return { uids, modseq: box.highest_modseq };
      });
      await store.durable();
      return inserted;
    },
    async listMessages(mailboxId, query = {}) {
      let q = db.selectFrom('messages').selectAll().where('mailbox_id', '=', mailboxId).orderBy('uid');
      if (query.uids) q = q.where(inRanges(query.uids));
      if (query.changedSince !== undefined) q = q.where('modseq', '>', query.changedSince);
      return (await q.execute()).map(toMessage);
    },
    async listContent(mailboxId, uids) {
      const rows = await db.selectFrom('messages').select(['id', 'uid', 'blob_id']).where('mailbox_id', '=', mailboxId).where(inRanges(uids)).orderBy('uid').execute();
      return rows.map((r) => ({ id: r.id, uid: r.uid, blobId: r.blob_id }));
    },
    async structureJsons(messageIds) {
      const found = new Map<string, string | null>();
      for (let i = 0; i < messageIds.length; i += 500) {
        const rows = await db.selectFrom('messages').select(['id', 'structure_json']).where('id', 'in', messageIds.slice(i, i + 500)).execute();
        for (const r of rows) found.set(r.id, r.structure_json);
      }
      return found;
    },
    async listMeta(mailboxId) {
      const rows = await metaOf(mailboxId);
      return rows.map((r) => ({ uid: r.uid, flags: splitFlags(r.flags), modseq: r.modseq, internalDate: new Date(r.internal_date), size: r.size }));
    },
    async findByMessageId(mailboxId, messageId, since) {
      const r = await db
        .selectFrom('messages')
        .selectAll()
        .where('mailbox_id', '=', mailboxId)
        .where('message_id', '=', messageId)
        .where('internal_date', '>=', since.getTime())
        .orderBy('uid')
        .limit(1)
        .executeTakeFirst();
      return r && toMessage(r);
    },
    async listUids(mailboxId) {
      return (await db.selectFrom('messages').select('uid').where('mailbox_id', '=', mailboxId).orderBy('uid').execute()).map((r) => r.uid);
    },
    async counts(mailboxId) {
      const rows = await db.selectFrom('messages').select(['flags', 'size']).where('mailbox_id', '=', mailboxId).execute();
      const seen = (flags: string) => splitFlags(flags).some((f) => f.toLowerCase() === '\\seen');
      return { messages: rows.length, unseen: rows.filter((r) => !seen(r.flags)).length, bytes: rows.reduce((n, r) => n + r.size, 0) };
    },
    async setFlags(mailboxId, uids, op, flags, unchangedSince) {
      return db.transaction().execute(async (trx) => {
        const box = await lockMailbox(trx, mailboxId);
        const rows = await trx.selectFrom('messages').select(['id', 'uid', 'flags', 'modseq', 'blob_id']).where('mailbox_id', '=', mailboxId).where(inRanges(uids)).orderBy('uid').execute();
        const failed = unchangedSince === undefined ? [] : rows.filter((r) => r.modseq > unchangedSince).map((r) => r.uid);
        const updates = rows
          .filter((r) => !failed.includes(r.uid))
          .map((r) => ({ id: r.id, uid: r.uid, blobId: r.blob_id, before: splitFlags(r.flags), after: applyFlags(splitFlags(r.flags), op, flags) }))
          .filter((u) => !sameFlags(u.before, u.after));
        const changed: FlagChange[] = [];
        if (updates.length > 0) {
          const modseq = await bumpModseq(trx, mailboxId);
          const changes = new ChangeSet().add('Mailbox', mailboxId, 'u');
          // One UPDATE per resulting set of flags: a STORE on many messages gives most of them the same.
          const byFlags = new Map<string, string[]>();
          for (const u of updates) {
            const text = flagsText(u.after);
            byFlags.set(text, [...(byFlags.get(text) ?? []), u.id]);
            changed.push({ uid: u.uid, flags: u.after, modseq });
            changes.add('Email', emailIdOf(u.blobId), 'u');
          }
          for (const [text, ids] of byFlags) {
            for (let i = 0; i < ids.length; i += 500) await trx.updateTable('messages').set({ flags: text, modseq }).where('id', 'in', ids.slice(i, i + 500)).execute();
          }
          await changes.write(trx, box.account_id);
        }
        return { changed, failed };
      });
    },
    async removeMessages(mailboxId, uids, onlyDeleted) {
      return db.transaction().execute(async (trx) => {
        const box = await lockMailbox(trx, mailboxId);
        let q = trx.selectFrom('messages').select(['uid', 'flags', 'blob_id', 'thread_id', 'size']).where('mailbox_id', '=', mailboxId).orderBy('uid');
        if (uids !== 'all') q = q.where(inRanges(uids));
        const rows = (await q.execute()).filter((r) => !onlyDeleted || splitFlags(r.flags).some((f) => f.toLowerCase() === '\\deleted'));
        const gone = rows.map((r) => r.uid);
        for (let i = 0; i < gone.length; i += 500) {
          await trx.deleteFrom('messages').where('mailbox_id', '=', mailboxId).where('uid', 'in', gone.slice(i, i + 500)).execute();
        }
        if (gone.length > 0) {
          await bumpModseq(trx, mailboxId);
          const changes = new ChangeSet().add('Mailbox', mailboxId, 'u');
          await noteRemoved(trx, box.account_id, rows, changes);
          await addUsage(trx, box.account_id, -sizeOf(rows));
          await changes.write(trx, box.account_id);
        }
        return gone;
      });
    },
    async claimRecent(mailboxId, upTo) {
      return db.transaction().execute(async (trx) => {
        const box = await trx.selectFrom('mailboxes').select('recent_uid').where('id', '=', mailboxId).$if(pg, (q) => q.forUpdate()).executeTakeFirst();
        if (!box) return upTo;
        if (upTo > box.recent_uid) await trx.updateTable('mailboxes').set({ recent_uid: upTo }).where('id', '=', mailboxId).execute();
        return box.recent_uid;
      });
    },
    async setStructure(messageId, json) {
      await db.updateTable('messages').set({ structure_json: json }).where('id', '=', messageId).execute();
    },
    async blobsReferenced(blobIds) {
      if (blobIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('messages')
        .select('blob_id')
        .where('blob_id', 'in', blobIds)
        .union(db.selectFrom('outbound_queue').select('blob_id').where('blob_id', 'in', blobIds))
        .execute();
      return new Set(rows.map((r) => r.blob_id));
    },
  };
}
