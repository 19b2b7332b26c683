// RFC 8621 §4.4–4.5: Email/query and Email/queryChanges, filters and sorts turned into the store's.
import { z } from 'zod';
import type { Context } from '../../../context.ts';
import type { EmailCondition, EmailFilter, EmailQuery, EmailSort } from '../../../mail/emailTypes.ts';
import { emailIdOf } from '../../../store/mailChanges.ts';
import type { Call } from '../engine.ts';
import { MethodError } from '../errors.ts';
import { flagOf, validKeyword } from '../keywords.ts';
import { emailQuerySortOptions } from '../session.ts';
import type { Method } from '../services.ts';
import { changes, currentState } from '../standard.ts';
import { queryChanges as computeQueryChanges } from './queryChanges.ts';

const utcDate = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'not a UTCDate');
const keyword = z.string().refine(validKeyword, 'not a keyword');
const conditionSchema = z
  .object({
    inMailbox: z.string(),
    inMailboxOtherThan: z.array(z.string()),
    before: utcDate,
    after: utcDate,
    minSize: z.number().int().min(0),
    maxSize: z.number().int().min(0),
    allInThreadHaveKeyword: keyword,
    someInThreadHaveKeyword: keyword,
    noneInThreadHaveKeyword: keyword,
    hasKeyword: keyword,
    notKeyword: keyword,
    hasAttachment: z.boolean(),
    text: z.string(),
    from: z.string(),
    to: z.string(),
    cc: z.string(),
    bcc: z.string(),
    subject: z.string(),
    body: z.string(),
  })
  .partial()
  .strict();

const sortSchema = z.object({ property: z.string(), isAscending: z.boolean().optional(), keyword: keyword.optional(), collation: z.string().optional() });

export const queryArgs = z.object({
  accountId: z.string(),
  filter: z.unknown().optional(),
  sort: z.array(sortSchema).nullable().optional(),
  position: z.number().int().optional(),
  anchor: z.string().nullable().optional(),
  anchorOffset: z.number().int().optional(),
  limit: z.number().int().min(0).nullable().optional(),
  calculateTotal: z.boolean().optional(),
  collapseThreads: z.boolean().optional(),
});

function toFilter(f: unknown, call: Call, depth = 0): EmailFilter {
  if (depth > 10 || f === null || typeof f !== 'object') throw new MethodError('unsupportedFilter', 'filter too deep or not an object');
  if ('operator' in f) {
    const op = f as { operator: unknown; conditions?: unknown };
    if (op.operator !== 'AND' && op.operator !== 'OR' && op.operator !== 'NOT') throw new MethodError('unsupportedFilter', 'unknown operator');
    if (!Array.isArray(op.conditions)) throw new MethodError('invalidArguments', 'conditions must be an array');
    return { operator: op.operator, conditions: op.conditions.map((c) => toFilter(c, call, depth + 1)) };
  }
  const parsed = conditionSchema.safeParse(f);
  if (!parsed.success) throw new MethodError('unsupportedFilter', parsed.error.issues[0].path.join('/') + ': ' + parsed.error.issues[0].message);
  const c = parsed.data;
  const mailbox = (boxId: string) => call.resolveId(boxId) ?? boxId;
  const out: EmailCondition = {
    inMailbox: c.inMailbox === undefined ? undefined : mailbox(c.inMailbox),
    inMailboxOtherThan: c.inMailboxOtherThan?.map(mailbox),
    before: c.before ? new Date(c.before) : undefined,
    after: c.after ? new Date(c.after) : undefined,
    minSize: c.minSize,
    maxSize: c.maxSize,
    hasFlag: c.hasKeyword && flagOf(c.hasKeyword),
    notFlag: c.notKeyword && flagOf(c.notKeyword),
    allInThreadHaveFlag: c.allInThreadHaveKeyword && flagOf(c.allInThreadHaveKeyword),
    someInThreadHaveFlag: c.someInThreadHaveKeyword && flagOf(c.someInThreadHaveKeyword),
    noneInThreadHaveFlag: c.noneInThreadHaveKeyword && flagOf(c.noneInThreadHaveKeyword),
    hasAttachment: c.hasAttachment,
    text: c.text,
    from: c.from,
    to: c.to,
    cc: c.cc,
    bcc: c.bcc,
    subject: c.subject,
    body: c.body,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as EmailCondition;
}

export function toQuery(a: z.infer<typeof queryArgs>, call: Call): EmailQuery {
  const sort: EmailSort[] = (a.sort ?? []).map((s) => {
    if (!emailQuerySortOptions.includes(s.property)) throw new MethodError('unsupportedSort', `cannot sort by ${s.property.slice(0, 100)}`);
    if (s.property === 'hasKeyword' && !s.keyword) throw new MethodError('unsupportedSort', 'hasKeyword needs a keyword');
    return { property: s.property as EmailSort['property'], isAscending: s.isAscending ?? true, flag: s.keyword && flagOf(s.keyword) };
  });
  return { filter: a.filter === undefined || a.filter === null ? null : toFilter(a.filter, call), sort, collapseThreads: a.collapseThreads ?? false };
}

const maxWindow = 100_000;

/** The ids of a query page and its position, per §5.5 (negative positions, anchors). */
export async function runEmailQuery(ctx: Context, accountId: string, a: z.infer<typeof queryArgs>, query: EmailQuery) {
  const { emails } = ctx;
  const limit = Math.min(a.limit ?? 1000, 1000);
  let position = a.position ?? 0;
  let total: number | undefined;
  if (a.anchor !== undefined && a.anchor !== null) {
    const all = (await emails.query(accountId, query, 0, maxWindow)).map((h) => emailIdOf(h.blobId));
    const at = all.indexOf(a.anchor);
    if (at < 0) throw new MethodError('anchorNotFound');
    position = Math.max(0, at + (a.anchorOffset ?? 0));
    total = all.length;
  } else if (position < 0) {
    total = await emails.count(accountId, query);
    position = Math.max(0, total + position);
  }
  const hits = limit === 0 ? [] : await emails.query(accountId, query, position, limit);
  if (a.calculateTotal && total === undefined) total = await emails.count(accountId, query);
  return { position, ids: hits.map((h) => emailIdOf(h.blobId)), threads: hits.map((h) => h.threadId), total };
}

const query: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = queryArgs.parse(raw);
    const q = toQuery(a, call);
    const queryState = await currentState(ctx, account.id, 'Email');
    const { position, ids, total } = await runEmailQuery(ctx, account.id, a, q);
    return [['Email/query', { accountId: account.id, queryState, canCalculateChanges: true, position, ids, ...(a.calculateTotal ? { total } : {}), ...(a.limit && a.limit > 1000 ? { limit: 1000 } : {}) }]];
  },
};

const queryChanges: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = queryArgs.parse({ ...raw, position: 0, limit: null, anchor: null });
    const q = toQuery(a, call);
    const all = await ctx.emails.query(account.id, q, 0, maxWindow);
    const ids = all.map((h) => emailIdOf(h.blobId));
    // A thread whose Emails changed may be shown by another of its Emails now.
    let alsoRemoved: string[] = [];
    if (q.collapseThreads && typeof raw.sinceQueryState === 'string') {
      const threads = await changes(ctx, account.id, 'Thread', raw.sinceQueryState, null);
      const touched = [...threads.updated, ...threads.destroyed];
      alsoRemoved = (await ctx.emails.repo.threads(account.id, touched)).map((t) => emailIdOf(t.blobId));
    }
    return [['Email/queryChanges', await computeQueryChanges(ctx, account.id, 'Email', raw, ids, alsoRemoved)]];
  },
};

export const emailQueryMethods: Record<string, Method> = { 'Email/query': query, 'Email/queryChanges': queryChanges };
