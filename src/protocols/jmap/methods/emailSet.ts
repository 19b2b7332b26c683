// RFC 8621 §4.6 Email/set and §4.8 Email/import: keywords and mailboxes changed on every copy of
// the Email, new Emails stored through the mail store like any delivery.
import { z } from 'zod';
import type { Context } from '../../../context.ts';
import { PosternError } from '../../../core/errors.ts';
import type { AccountRecord } from '../../../core/ports.ts';
import type { EmailView } from '../../../mail/emails.ts';
import { blobIdOfEmail, emailIdOf } from '../../../store/mailChanges.ts';
import type { Call } from '../engine.ts';
import { composeEmail, createSchema } from '../emailCreate.ts';
import { SetFailure, setError } from '../errors.ts';
import { readBlob } from '../blobs.ts';
import { flagOf, keywordsOf, validKeyword } from '../keywords.ts';
import type { Method } from '../services.ts';
import { beginSet, checkSetSize, checkState, currentState } from '../standard.ts';

/** Store refusals as SetErrors; anything else is a server failure. */
export async function asSetFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PosternError) {
      if (err.code === 'quota_exceeded') throw new SetFailure('overQuota');
      if (err.code === 'message_too_large') throw new SetFailure('tooLarge');
      if (err.code === 'too_many_keywords') throw new SetFailure('invalidProperties', `keywords: at most ${String(err.params.max)} characters together`, ['keywords']);
      if (err.code === 'unknown_mailbox' || err.code === 'mailbox_deleted' || err.code === 'email_needs_mailbox') throw new SetFailure('invalidProperties', 'mailboxIds must name at least one mailbox of the account', ['mailboxIds']);
    }
    throw err;
  }
}

function keywordSet(value: unknown, property: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SetFailure('invalidProperties', `${property} is a map`, [property]);
  const entries = Object.entries(value);
  if (entries.some(([k, v]) => v !== true || !validKeyword(k))) throw new SetFailure('invalidProperties', `${property} maps keywords to true`, [property]);
  return entries.map(([k]) => k.toLowerCase());
}

function idSet(value: unknown, call: Call): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => v !== true)) throw new SetFailure('invalidProperties', 'mailboxIds maps ids to true', ['mailboxIds']);
  return Object.keys(value).map((k) => call.resolveId(k) ?? k);
}

const decodePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Applies a PatchObject (§5.3) to an Email: only keywords and mailboxIds may change. */
export async function updateEmail(ctx: Context, account: AccountRecord, email: EmailView, patch: Record<string, unknown>, call: Call): Promise<void> {
  let keywords = new Set(Object.keys(keywordsOf(email.flags)));
  let mailboxes = new Set(email.mailboxIds);
  const before = new Set(keywords);
  for (const [path, value] of Object.entries(patch)) {
    const [head, ...rest] = path.split('/');
    if (head !== 'keywords' && head !== 'mailboxIds') throw new SetFailure('invalidProperties', 'only keywords and mailboxIds can change', [head]);
    if (rest.length > 1) throw new SetFailure('invalidPatch', `bad path ${path.slice(0, 100)}`);
    if (rest.length === 0) {
      if (head === 'keywords') keywords = new Set(keywordSet(value, head));
      else mailboxes = new Set(idSet(value, call));
      continue;
    }
    const key = decodePointer(rest[0]);
    if (value !== true && value !== null) throw new SetFailure('invalidPatch', `${path.slice(0, 100)} takes true or null`);
    if (head === 'keywords') {
      if (!validKeyword(key)) throw new SetFailure('invalidPatch', 'not a keyword');
      if (value) keywords.add(key.toLowerCase());
      else keywords.delete(key.toLowerCase());
    } else {
      const boxId = call.resolveId(key) ?? key;
      if (value) mailboxes.add(boxId);
      else mailboxes.delete(boxId);
    }
  }
  if (mailboxes.size === 0) throw new SetFailure('invalidProperties', 'an Email is in at least one mailbox', ['mailboxIds']);
  const add = [...keywords].filter((k) => !before.has(k)).map(flagOf);
  const remove = [...before].filter((k) => !keywords.has(k)).map(flagOf);
  const sameBoxes = mailboxes.size === email.mailboxIds.length && email.mailboxIds.every((m) => mailboxes.has(m));
  if (!sameBoxes) await asSetFailure(ctx.emails.setMailboxes(account.id, email, [...mailboxes]));
  if (add.length || remove.length) {
    const fresh = (await ctx.emails.get(account.id, [email.blobId])).get(email.blobId);
    if (fresh) await asSetFailure(ctx.emails.changeFlags(fresh, add, remove));
  }
}

export async function findEmail(ctx: Context, accountId: string, id: string, call: Call): Promise<EmailView> {
  const blob = blobIdOfEmail(call.resolveId(id) ?? '');
  const email = blob ? (await ctx.emails.get(accountId, [blob])).get(blob) : undefined;
  if (!email) throw new SetFailure('notFound');
  return email;
}

async function created(ctx: Context, accountId: string, blobId: string) {
  const email = (await ctx.emails.get(accountId, [blobId])).get(blobId)!;
  return { id: emailIdOf(blobId), blobId, threadId: email.threadId, size: email.first.size };
}

const receivedAt = (value: string | undefined) => {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new SetFailure('invalidProperties', 'receivedAt is a UTCDate', ['receivedAt']);
  return d;
};

const set: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const { args: a, result } = await beginSet(ctx, account.id, 'Email', raw);
    for (const [cid, value] of Object.entries(a.create ?? {})) {
      try {
        const parsed = createSchema.safeParse(value);
        if (!parsed.success) throw new SetFailure('invalidProperties', parsed.error.issues[0].message, parsed.error.issues.map((i) => String(i.path[0])));
        const e = parsed.data;
        const message = await composeEmail(ctx, account.id, e);
        const flags = keywordSet(e.keywords ?? {}, 'keywords').map(flagOf);
        const blobId = await asSetFailure(ctx.emails.add(account.id, message, idSet(e.mailboxIds, call), flags, receivedAt(e.receivedAt)));
        call.createdIds.set(cid, emailIdOf(blobId));
        result.created[cid] = await created(ctx, account.id, blobId);
      } catch (err) {
        result.notCreated[cid] = setError(err);
      }
    }
    for (const [rawId, patch] of Object.entries(a.update ?? {})) {
      try {
        await updateEmail(ctx, account, await findEmail(ctx, account.id, rawId, call), patch, call);
        result.updated[call.resolveId(rawId) ?? rawId] = null;
      } catch (err) {
        result.notUpdated[rawId] = setError(err);
      }
    }
    for (const rawId of a.destroy ?? []) {
      try {
        await ctx.emails.destroy(await findEmail(ctx, account.id, rawId, call));
        result.destroyed.push(call.resolveId(rawId) ?? rawId);
      } catch (err) {
        result.notDestroyed[rawId] = setError(err);
      }
    }
    result.newState = await currentState(ctx, account.id, 'Email');
    return [['Email/set', result]];
  },
};

const importArgs = z.object({
  accountId: z.string(),
  ifInState: z.string().nullable().optional(),
  emails: z.record(z.string(), z.object({ blobId: z.string(), mailboxIds: z.record(z.string(), z.literal(true)), keywords: z.record(z.string(), z.literal(true)).optional(), receivedAt: z.string().optional() })),
});

const importMethod: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = importArgs.parse(raw);
    checkSetSize(a.emails);
    const oldState = await currentState(ctx, account.id, 'Email');
    checkState(a.ifInState, oldState);
    const done: Record<string, unknown> = {};
    const failed: Record<string, unknown> = {};
    for (const [cid, e] of Object.entries(a.emails)) {
      try {
        const data = await readBlob(ctx, account.id, e.blobId);
        if (!data) throw new SetFailure('blobNotFound', undefined, ['blobId']);
        const flags = keywordSet(e.keywords ?? {}, 'keywords').map(flagOf);
        const blobId = await asSetFailure(ctx.emails.add(account.id, data, idSet(e.mailboxIds, call), flags, receivedAt(e.receivedAt)));
        call.createdIds.set(cid, emailIdOf(blobId));
        done[cid] = await created(ctx, account.id, blobId);
      } catch (err) {
        failed[cid] = setError(err);
      }
    }
    return [['Email/import', { accountId: account.id, oldState, newState: await currentState(ctx, account.id, 'Email'), created: done, notCreated: failed }]];
  },
};

export const emailSetMethods: Record<string, Method> = { 'Email/set': set, 'Email/import': importMethod };
