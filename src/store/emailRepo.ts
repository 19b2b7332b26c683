// The account-wide Email view in SQL: an Email is the rows of one blob in an account's mailboxes.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { EmailCondition, EmailFilter, EmailHit, EmailQuery, EmailRepo, EmailSort } from '../mail/emailTypes.ts';
import { memo } from '../memo.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Store } from './db.ts';
import { mailRepoRows } from './mailRepo.ts';
import { hasTokens } from './searchIndex.ts';
import { anyField, queryTokens, searchField } from '../mail/searchTokens.ts';
import type { Database } from './schema.ts';
import './mailTables.ts';

type Eb = ExpressionBuilder<Database, 'messages'>;

/** From this position on, a query checks whether the database can skip to it (see query). */
const deepOffset = 1000;

// Every column but the IMAP structure cache, which an Email view never reads.
const listColumns = ['id', 'mailbox_id', 'account_id', 'uid', 'modseq', 'flags', 'internal_date', 'size', 'blob_id', 'subject', 'from_addr', 'to_addr', 'cc_addr', 'sent_date', 'message_id', 'has_attachments', 'preview', 'thread_id', 'refs'] as const;

export function emailRepo(store: Store): EmailRepo {
  const { db } = store;
  const find = store.dialect === 'postgres' ? 'strpos' : 'instr';

  /** Whether the space-separated flags column holds `flag`, ignoring case. */
  const hasFlag = (column: string, flag: string) => sql<SqlBool>`${sql.raw(find)}(' ' || lower(${sql.ref(column)}) || ' ', ${` ${flag.toLowerCase()} `}) > 0`;

  function threadHas(eb: Eb, flag: string, negate: boolean): Expression<SqlBool> {
    const other = eb
      .selectFrom('messages as t')
      .select(sql.lit(1).as('one'))
      .whereRef('t.account_id', '=', 'messages.account_id')
      .whereRef('t.thread_id', '=', 'messages.thread_id')
      .where(negate ? sql<SqlBool>`not ${hasFlag('t.flags', flag)}` : hasFlag('t.flags', flag));
    return eb.exists(other);
  }

  function condition(eb: Eb, accountId: string, c: EmailCondition): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [];
    if (c.inMailbox !== undefined) parts.push(eb('messages.mailbox_id', '=', c.inMailbox));
    if (c.inMailboxOtherThan?.length) {
      const others = c.inMailboxOtherThan;
      parts.push(
        eb.exists(
          eb.selectFrom('messages as o').select(sql.lit(1).as('one')).whereRef('o.account_id', '=', 'messages.account_id').whereRef('o.blob_id', '=', 'messages.blob_id').where('o.mailbox_id', 'not in', others),
        ),
      );
    }
    if (c.before) parts.push(eb('messages.internal_date', '<', c.before.getTime()));
    if (c.after) parts.push(eb('messages.internal_date', '>=', c.after.getTime()));
    if (c.minSize !== undefined) parts.push(eb('messages.size', '>=', c.minSize));
    if (c.maxSize !== undefined) parts.push(eb('messages.size', '<', c.maxSize));
    if (c.hasFlag) parts.push(hasFlag('messages.flags', c.hasFlag));
    if (c.notFlag) parts.push(sql<SqlBool>`not ${hasFlag('messages.flags', c.notFlag)}`);
    if (c.someInThreadHaveFlag) parts.push(threadHas(eb, c.someInThreadHaveFlag, false));
    if (c.noneInThreadHaveFlag) parts.push(eb.not(threadHas(eb, c.noneInThreadHaveFlag, false)));
    if (c.allInThreadHaveFlag) parts.push(eb.not(threadHas(eb, c.allInThreadHaveFlag, true)));
    if (c.hasAttachment !== undefined) parts.push(eb('messages.has_attachments', '=', c.hasAttachment ? 1 : 0));
    const words = (text: string, mask: number) => parts.push(hasTokens(eb, accountId, queryTokens(text), mask));
    if (c.from !== undefined) words(c.from, searchField.from);
    if (c.to !== undefined) words(c.to, searchField.to);
    if (c.cc !== undefined) words(c.cc, searchField.cc);
    if (c.bcc !== undefined) words(c.bcc, searchField.bcc);
    if (c.subject !== undefined) words(c.subject, searchField.subject);
    if (c.body !== undefined) words(c.body, searchField.body);
    if (c.text !== undefined) words(c.text, anyField);
    return eb.and(parts);
  }

  function filterExpr(eb: Eb, accountId: string, f: EmailFilter): Expression<SqlBool> {
    if (!('operator' in f)) return condition(eb, accountId, f as EmailCondition);
    const inner = f.conditions.map((c) => filterExpr(eb, accountId, c));
    if (f.operator === 'AND') return eb.and(inner);
    if (f.operator === 'OR') return eb.or(inner);
    return eb.not(eb.or(inner));
  }

  function sortExpr(s: EmailSort) {
    switch (s.property) {
      case 'receivedAt':
        return sql`messages.internal_date`;
      case 'sentAt':
        return sql`coalesce(messages.sent_date, messages.internal_date)`;
      case 'size':
        return sql`messages.size`;
      case 'from':
        return sql`lower(messages.from_addr)`;
      case 'to':
        return sql`lower(messages.to_addr)`;
      case 'subject':
        return sql`lower(messages.subject)`;
      case 'hasKeyword':
        return sql`case when ${hasFlag('messages.flags', s.flag ?? '')} then 1 else 0 end`;
    }
  }

  function base(accountId: string, query: EmailQuery) {
    let q = db.selectFrom('messages').where('messages.account_id', '=', accountId);
    if (query.filter) {
      const filter = query.filter;
      q = q.where((eb) => filterExpr(eb, accountId, filter));
    }
    return q;
  }

  // The queries of every message list, compiled once (of the rows, once per number of Emails asked for).
  const rowsOf = memo(100, () =>
    compiledQuery(db, (accountId: string, ...blobIds: string[]) => db.selectFrom('messages').select(listColumns).where('account_id', '=', accountId).where('blob_id', 'in', blobIds).orderBy('id')),
  );
  const stateOf = compiledQuery(db, (accountId: string, kind: string) =>
    db.selectFrom('mail_changes').select((eb) => eb.fn.max<number>('seq').as('seq')).where('account_id', '=', accountId).where('kind', '=', kind),
  );

  /** The rows of a query in its order: Email and thread ids. */
  function ordered(accountId: string, query: EmailQuery, sorts: EmailSort[]) {
    let q = base(accountId, query).select(['messages.blob_id', 'messages.thread_id']);
    for (const s of sorts) q = q.orderBy(sortExpr(s), s.isAscending ? 'asc' : 'desc');
    return q.orderBy('messages.id', sorts[0].isAscending ? 'asc' : 'desc');
  }
  // Every message list (a mailbox, or all mail, in some order) is this query: compiled once per order.
  const listPages = memo(64, (shape) => {
    const { inMailbox, sorts } = JSON.parse(shape) as { inMailbox: boolean; sorts: EmailSort[] };
    return compiledQuery(db, (accountId: string, mailboxId: string, limit: number, offset: number) =>
      ordered(accountId, { filter: inMailbox ? { inMailbox: mailboxId } : null, sort: sorts, collapseThreads: false }, sorts).limit(limit).offset(offset),
    );
  });
  const isList = (filter: EmailFilter | null): filter is EmailCondition | null => filter === null || (Object.keys(filter).length === 1 && typeof (filter as EmailCondition).inMailbox === 'string');

  return {
    async rows(accountId, blobIds) {
      if (blobIds.length === 0) return [];
      return mailRepoRows(await rowsOf(String(blobIds.length))(accountId, ...blobIds));
    },
    async threads(accountId, threadIds) {
      if (threadIds.length === 0) return [];
      const rows = await db
        .selectFrom('messages')
        .select(['thread_id', 'blob_id', 'internal_date'])
        .where('account_id', '=', accountId)
        .where('thread_id', 'in', threadIds)
        .orderBy('internal_date')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ threadId: r.thread_id!, blobId: r.blob_id }));
    },
    async query(accountId, query, offset, limit) {
      // Rows come in query order and are deduplicated here, chunk by chunk: the first page of a
      // large mailbox reads about as many index entries as it returns, and a page deep in it reads
      // what lies before it once (each further chunk's OFFSET would walk them again).
      const sorts = query.sort.length ? query.sort : [{ property: 'receivedAt', isAscending: false } as EmailSort];
      const q = ordered(accountId, query, sorts);
      const filter = query.filter;
      const page =
        isList(filter) && sorts.every((s) => s.property !== 'hasKeyword')
          ? (n: number, from: number) => listPages(JSON.stringify({ inMailbox: filter !== null, sorts }))(accountId, filter?.inMailbox ?? '', n, from)
          : (n: number, from: number) => q.limit(n).offset(from).execute();
      const toHit = (r: { blob_id: string; thread_id: string | null }): EmailHit => ({ blobId: r.blob_id, threadId: r.thread_id ?? '' });
      // Deep in a result whose rows are all different Emails (threads: different threads have
      // different Emails), the database skips to the position by itself; counting them reads a
      // compact index, far less than the rows before the position.
      if (offset >= deepOffset) {
        const column = query.collapseThreads ? 'messages.thread_id' : 'messages.blob_id';
        // Two queries: beside count(*), SQLite would count the distinct ones in a temporary B-tree instead of in index order.
        const rows = await base(accountId, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const keys = await base(accountId, query).select((eb) => eb.fn.count<number>(column).distinct().as('n')).executeTakeFirstOrThrow();
        if (Number(rows.n) === Number(keys.n)) return (await page(limit, offset)).map(toHit);
      }
      const seen = new Set<string>();
      const hits: EmailHit[] = [];
      const want = offset + limit;
      const chunk = Math.max(Math.ceil(want * 1.1), 64);
      for (let from = 0; hits.length < want; from += chunk) {
        const rows = await page(chunk, from);
        for (const r of rows) {
          const key = query.collapseThreads ? `t:${r.thread_id ?? r.blob_id}` : r.blob_id;
          const email = `b:${r.blob_id}`;
          if (seen.has(key) || seen.has(email)) continue;
          seen.add(key);
          seen.add(email);
          hits.push(toHit(r));
          if (hits.length >= want) break;
        }
        if (rows.length < chunk) break;
      }
      return hits.slice(offset);
    },
    async count(accountId, query) {
      const column = query.collapseThreads ? 'messages.thread_id' : 'messages.blob_id';
      const r = await base(accountId, query)
        .select((eb) => eb.fn.count<number>(column).distinct().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async mailboxStats(accountId, threads) {
      const unseen = sql<SqlBool>`not ${hasFlag('flags', '\\Seen')}`;
      const rows = await db
        .selectFrom('messages')
        .select((eb) => [
          'mailbox_id',
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(sql`case when ${unseen} then 1 else 0 end`).as('unread'),
          threads ? eb.fn.count<number>('thread_id').distinct().as('threads') : sql.lit(0).as('threads'),
          threads ? eb.fn.count<number>(sql`case when ${unseen} then thread_id end`).distinct().as('unread_threads') : sql.lit(0).as('unread_threads'),
        ])
        .where('account_id', '=', accountId)
        .groupBy('mailbox_id')
        .execute();
      return new Map(rows.map((r) => [r.mailbox_id, { total: Number(r.total), unread: Number(r.unread), threads: Number(r.threads), unreadThreads: Number(r.unread_threads) }]));
    },
    async state(accountId, kind) {
      const [r] = await stateOf(accountId, kind);
      return Number(r?.seq ?? 0);
    },
    async changes(accountId, kind, since, max) {
      const rows = await db
        .selectFrom('mail_changes')
        .select(['object_id', 'op', 'seq'])
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(max)
        .execute();
      return rows.map((r) => ({ id: r.object_id, op: r.op as 'c' | 'u' | 'd', seq: Number(r.seq) }));
    },
    async addUpload(accountId, blobId, type, size, now) {
      await db
        .insertInto('uploads')
        .values({ account_id: accountId, blob_id: blobId, type, size, created_at: now.getTime() })
        .onConflict((oc) => oc.columns(['account_id', 'blob_id']).doUpdateSet({ type, created_at: now.getTime() }))
        .execute();
    },
    async ownsBlob(accountId, blobId) {
      const m = await db.selectFrom('messages').select('id').where('account_id', '=', accountId).where('blob_id', '=', blobId).limit(1).executeTakeFirst();
      if (m) return 'message';
      const u = await db.selectFrom('uploads').select(['type', 'size']).where('account_id', '=', accountId).where('blob_id', '=', blobId).executeTakeFirst();
      return u ? { type: u.type, size: Number(u.size) } : null;
    },
    async addSubmission(accountId, s) {
      await db
        .insertInto('email_submissions')
        .values({ id: s.id, account_id: accountId, identity_id: s.identityId, email_id: s.emailId, thread_id: s.threadId, envelope: JSON.stringify(s.envelope), send_at: s.sendAt.getTime() })
        .execute();
    },
    async submissions(accountId, ids) {
      if (ids && ids.length === 0) return [];
      let q = db.selectFrom('email_submissions').selectAll().where('account_id', '=', accountId).orderBy('send_at', 'desc').limit(1000);
      if (ids) q = q.where('id', 'in', ids);
      return (await q.execute()).map((r) => ({ id: r.id, identityId: r.identity_id, emailId: r.email_id, threadId: r.thread_id, envelope: JSON.parse(r.envelope), sendAt: new Date(Number(r.send_at)) }));
    },
  };
}
