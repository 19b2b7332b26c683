// RFC 8621 §2: Mailbox/get, /changes, /query, /queryChanges and /set over the account's IMAP mailboxes.
import { z } from 'zod';
import { PosternError } from '../../../core/errors.ts';
import { normalizeMailboxName, separator } from '../../../mail/mailboxNames.ts';
import type { MailboxRecord } from '../../../mail/types.ts';
import type { MailboxStats } from '../../../mail/emailTypes.ts';
import { SetFailure, setError } from '../errors.ts';
import type { Method, Services } from '../services.ts';
import { beginSet, changes, changesArgs, currentState, getArgs, id, pick, setArgs, wantedIds } from '../standard.ts';
import { queryChanges as computeQueryChanges } from './queryChanges.ts';

const roles: Record<string, string> = { INBOX: 'inbox', '\\Sent': 'sent', '\\Drafts': 'drafts', '\\Trash': 'trash', '\\Junk': 'junk' };
const order = ['inbox', 'drafts', 'sent', 'junk', 'trash'];
const properties = ['id', 'name', 'parentId', 'role', 'sortOrder', 'totalEmails', 'unreadEmails', 'totalThreads', 'unreadThreads', 'myRights', 'isSubscribed'] as const;

const roleOf = (b: MailboxRecord) => (b.name === 'INBOX' ? 'inbox' : b.specialUse ? roles[b.specialUse] : null);
const leaf = (name: string) => name.slice(name.lastIndexOf(separator) + 1);
const parentPath = (name: string) => (name.includes(separator) ? name.slice(0, name.lastIndexOf(separator)) : null);

function toJmap(b: MailboxRecord, all: MailboxRecord[], stats: Map<string, MailboxStats>) {
  const role = roleOf(b);
  const parent = parentPath(b.name);
  const s = stats.get(b.id) ?? { total: 0, unread: 0, threads: 0, unreadThreads: 0 };
  const system = role !== null;
  return {
    id: b.id,
    name: leaf(b.name),
    parentId: parent === null ? null : (all.find((p) => p.name === parent)?.id ?? null),
    role,
    sortOrder: role ? order.indexOf(role) + 1 : 10,
    totalEmails: s.total,
    unreadEmails: s.unread,
    totalThreads: s.threads,
    unreadThreads: s.unreadThreads,
    myRights: { mayReadItems: true, mayAddItems: true, mayRemoveItems: true, maySetSeen: true, maySetKeywords: true, mayCreateChild: true, mayRename: !system, mayDelete: !system, maySubmit: true },
    isSubscribed: b.subscribed,
  };
}

/** The account's mailboxes with the counts asked for: none, of Emails, or of Emails and threads (which cost most at 100 000 messages). */
async function listAll({ ctx, account }: Services, counts: 'none' | 'emails' | 'threads') {
  const all = await ctx.mail.mailboxes(account.id);
  const stats = counts === 'none' ? new Map<string, MailboxStats>() : await ctx.emails.repo.mailboxStats(account.id, counts === 'threads');
  return all.map((b) => toJmap(b, all, stats));
}

const countsFor = (asked: readonly string[] | null | undefined) =>
  !asked || asked.some((p) => p === 'totalThreads' || p === 'unreadThreads') ? 'threads' : asked.some((p) => p === 'totalEmails' || p === 'unreadEmails') ? 'emails' : 'none';

const get: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, services) {
    const args = getArgs.parse(raw);
    const state = await currentState(services.ctx, call.accountId, 'Mailbox');
    const all = await listAll(services, countsFor(args.properties));
    const want = wantedIds(args.ids, call);
    const list = want ? all.filter((b) => want.resolved.includes(b.id)) : all;
    const notFound = want ? want.asked.filter((_, i) => !all.some((b) => b.id === want.resolved[i])) : [];
    return [['Mailbox/get', { accountId: call.accountId, state, list: pick(list, args.properties, properties), notFound }]];
  },
};

const changesMethod: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx }) {
    const args = changesArgs.parse(raw);
    const result = await changes(ctx, call.accountId, 'Mailbox', args.sinceState, args.maxChanges);
    return [['Mailbox/changes', { ...result, updatedProperties: null }]];
  },
};

const filterSchema = z.object({ parentId: id.nullable().optional(), name: z.string().optional(), role: z.string().nullable().optional(), hasAnyRole: z.boolean().optional(), isSubscribed: z.boolean().optional() }).strict();
const queryArgs = z.object({
  accountId: z.string(),
  filter: filterSchema.nullable().optional(),
  sort: z.array(z.object({ property: z.enum(['sortOrder', 'name']), isAscending: z.boolean().optional() })).nullable().optional(),
  position: z.number().int().optional(),
  limit: z.number().int().min(0).nullable().optional(),
  calculateTotal: z.boolean().optional(),
  sortAsTree: z.boolean().optional(),
  filterAsTree: z.boolean().optional(),
});

async function runQuery(raw: Record<string, unknown>, services: Services) {
  const args = queryArgs.parse(raw);
  const all = await listAll(services, 'none');
  const f = args.filter ?? {};
  const match = (b: ReturnType<typeof toJmap>) =>
    (f.parentId === undefined || b.parentId === f.parentId) &&
    (f.name === undefined || b.name.toLowerCase().includes(f.name.toLowerCase())) &&
    (f.role === undefined || b.role === f.role) &&
    (f.hasAnyRole === undefined || (b.role !== null) === f.hasAnyRole) &&
    (f.isSubscribed === undefined || b.isSubscribed === f.isSubscribed);
  const sorted = [...all].sort((a, b) => {
    for (const s of args.sort ?? [{ property: 'sortOrder' as const }, { property: 'name' as const }]) {
      const d = s.property === 'name' ? a.name.localeCompare(b.name) : a.sortOrder - b.sortOrder;
      if (d) return s.isAscending === false ? -d : d;
    }
    return a.id < b.id ? -1 : 1;
  });
  const ids = sorted.filter(match).map((b) => b.id);
  const position = args.position ?? 0;
  const start = position < 0 ? Math.max(0, ids.length + position) : Math.min(position, ids.length);
  const page = ids.slice(start, args.limit === undefined || args.limit === null ? undefined : start + args.limit);
  return { args, ids, page, start };
}

const query: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, services) {
    const { args, ids, page, start } = await runQuery(raw, services);
    const queryState = await currentState(services.ctx, call.accountId, 'Mailbox');
    return [['Mailbox/query', { accountId: call.accountId, queryState, canCalculateChanges: true, position: start, ids: page, ...(args.calculateTotal ? { total: ids.length } : {}) }]];
  },
};

const queryChanges: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, services) {
    const { ids } = await runQuery({ accountId: raw.accountId, filter: raw.filter, sort: raw.sort }, services);
    return [['Mailbox/queryChanges', await computeQueryChanges(services.ctx, call.accountId, 'Mailbox', raw, ids)]];
  },
};

const createSchema = z.object({ name: z.string().min(1).max(490), parentId: id.nullable().optional(), isSubscribed: z.boolean().optional(), role: z.null().optional(), sortOrder: z.number().optional() }).strict();
const mailboxSetArgs = setArgs.extend({ onDestroyRemoveEmails: z.boolean().optional() });

function checkedName(name: string): string {
  if (name.includes(separator)) throw new SetFailure('invalidProperties', `a name must not contain ${separator}`, ['name']);
  return name;
}

function fullPath(parent: MailboxRecord | null, name: string): string {
  try {
    return normalizeMailboxName(parent ? `${parent.name}${separator}${checkedName(name)}` : checkedName(name));
  } catch (err) {
    if (err instanceof PosternError) throw new SetFailure('invalidProperties', 'invalid mailbox name', ['name']);
    throw err;
  }
}

async function storeFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PosternError && err.code === 'mailbox_exists') throw new SetFailure('invalidProperties', 'a mailbox of that name exists', ['name']);
    if (err instanceof PosternError && err.code === 'invalid_mailbox_name') throw new SetFailure('invalidProperties', 'invalid mailbox name', ['name']);
    throw err;
  }
}

const set: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const { args, result } = await beginSet(ctx, account.id, 'Mailbox', raw, mailboxSetArgs);
    const boxes = () => ctx.mail.mailboxes(account.id);
    const byId = async (boxId: string | null) => {
      if (boxId === null) return null;
      const real = call.resolveId(boxId);
      const box = (await boxes()).find((b) => b.id === real);
      if (!box) throw new SetFailure('invalidProperties', 'no such parent', ['parentId']);
      return box;
    };

    for (const [cid, value] of Object.entries(args.create ?? {})) {
      try {
        const parsed = createSchema.safeParse(value);
        if (!parsed.success) throw new SetFailure('invalidProperties', parsed.error.issues[0].message, parsed.error.issues.map((i) => String(i.path[0])));
        const path = fullPath(await byId(parsed.data.parentId ?? null), parsed.data.name);
        const box = await storeFailure(ctx.mail.createMailbox(account.id, path));
        if (parsed.data.isSubscribed === false) await ctx.mail.subscribe(account.id, path, false);
        call.createdIds.set(cid, box.id);
        // A new mailbox holds nothing: its counts are 0 without counting the account.
        const { id: boxId, ...rest } = toJmap(box, await boxes(), new Map());
        result.created[cid] = { id: boxId, ...Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in (value as object)))) };
      } catch (err) {
        result.notCreated[cid] = setError(err);
      }
    }

    for (const [rawId, patch] of Object.entries(args.update ?? {})) {
      try {
        const box = await byId(rawId).catch(() => {
          throw new SetFailure('notFound');
        });
        if (!box) throw new SetFailure('notFound');
        const allowed = ['name', 'parentId', 'isSubscribed', 'sortOrder', 'role'];
        const bad = Object.keys(patch).filter((k) => !allowed.includes(k));
        if (bad.length) throw new SetFailure('invalidProperties', 'these properties cannot be set', bad);
        const current = toJmap(box, await boxes(), new Map());
        if ('role' in patch && patch.role !== current.role) throw new SetFailure('invalidProperties', 'roles are fixed', ['role']);
        if ('sortOrder' in patch && patch.sortOrder !== current.sortOrder) throw new SetFailure('invalidProperties', 'the sort order follows the role', ['sortOrder']);
        if ('name' in patch || 'parentId' in patch) {
          if (current.role) throw new SetFailure('forbidden', 'system mailboxes keep their name');
          const name = 'name' in patch ? patch.name : current.name;
          if (typeof name !== 'string' || !name) throw new SetFailure('invalidProperties', 'name must be a string', ['name']);
          const parentId = 'parentId' in patch ? patch.parentId : current.parentId;
          if (parentId !== null && typeof parentId !== 'string') throw new SetFailure('invalidProperties', 'parentId must be an id', ['parentId']);
          const to = fullPath(await byId(parentId), name);
          if (to !== box.name) await storeFailure(ctx.mail.renameMailbox(account.id, box.name, to));
        }
        if ('isSubscribed' in patch) {
          if (typeof patch.isSubscribed !== 'boolean') throw new SetFailure('invalidProperties', 'isSubscribed is a boolean', ['isSubscribed']);
          await ctx.mail.subscribe(account.id, (await byId(box.id))!.name, patch.isSubscribed);
        }
        result.updated[rawId] = null;
      } catch (err) {
        result.notUpdated[rawId] = setError(err);
      }
    }

    for (const rawId of args.destroy ?? []) {
      try {
        const box = (await boxes()).find((b) => b.id === call.resolveId(rawId));
        if (!box) throw new SetFailure('notFound');
        if (roleOf(box)) throw new SetFailure('forbidden', 'system mailboxes cannot be destroyed');
        if ((await boxes()).some((b) => b.name.startsWith(box.name + separator))) throw new SetFailure('mailboxHasChild');
        if (!args.onDestroyRemoveEmails && (await ctx.mail.counts(box.id)).messages > 0) throw new SetFailure('mailboxHasEmail');
        await ctx.mail.deleteMailbox(account.id, box.name);
        result.destroyed.push(rawId);
      } catch (err) {
        result.notDestroyed[rawId] = setError(err);
      }
    }
    result.newState = await currentState(ctx, account.id, 'Mailbox');
    return [['Mailbox/set', result]];
  },
};

export const mailboxMethods: Record<string, Method> = {
  'Mailbox/get': get,
  'Mailbox/changes': changesMethod,
  'Mailbox/query': query,
  'Mailbox/queryChanges': queryChanges,
  'Mailbox/set': set,
};

