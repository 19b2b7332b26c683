// RFC 8621 §6: Identity/get, /changes and /set. An account sends only as its own addresses (SPEC M6):
// each has an identity that can be changed but not destroyed; more identities for the same
// addresses (another name, signature, Reply-To) can be created and destroyed.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { IdentityRecord } from '../../../mail/mailSettings.ts';
import { SetFailure, setError } from '../errors.ts';
import type { Method } from '../services.ts';
import { beginSet, changes, changesArgs, currentState, getArgs, pick, wantedIds } from '../standard.ts';

const capability = 'urn:ietf:params:jmap:submission';
export const identityProperties = ['id', 'name', 'email', 'replyTo', 'bcc', 'textSignature', 'htmlSignature', 'mayDelete'] as const;

const address = z.object({ name: z.string().max(256).nullable(), email: z.string().min(1).max(320) }).strict();
const settable = {
  name: z.string().max(256),
  replyTo: z.array(address).max(20).nullable(),
  bcc: z.array(address).max(20).nullable(),
  textSignature: z.string().max(64 * 1024),
  htmlSignature: z.string().max(64 * 1024),
};
const createSchema = z.object({ email: z.string().max(320), ...settable }).partial({ name: true, replyTo: true, bcc: true, textSignature: true, htmlSignature: true }).strict();
const updateSchema = z.object(settable).partial().strict();

function invalid(err: z.ZodError): never {
  throw new SetFailure('invalidProperties', err.issues[0].message, [...new Set(err.issues.map((i) => String(i.path[0] ?? '')))]);
}

const get: Method = {
  capability,
  async run(raw, call, { ctx, account }) {
    const a = getArgs.parse(raw);
    const all = await ctx.mailSettings.identities(account);
    const want = wantedIds(a.ids, call);
    const list = want ? all.filter((i) => want.resolved.includes(i.id)) : all;
    const notFound = want ? want.asked.filter((_, i) => !all.some((x) => x.id === want.resolved[i])) : [];
    return [['Identity/get', { accountId: account.id, state: await currentState(ctx, account.id, 'Identity'), list: pick(list as unknown as Record<string, unknown>[], a.properties, identityProperties), notFound }]];
  },
};

const changesMethod: Method = {
  capability,
  async run(raw, _call, { ctx, account }) {
    const a = changesArgs.parse(raw);
    return [['Identity/changes', await changes(ctx, account.id, 'Identity', a.sinceState, a.maxChanges)]];
  },
};

const set: Method = {
  capability,
  async run(raw, call, { ctx, account }) {
    const { args: a, oldState } = await beginSet(ctx, account.id, 'Identity', raw);
    const own = (await ctx.accounts.sendingAddresses(account)).map((x) => x.toLowerCase());
    const find = async (rawId: string) => {
      const found = (await ctx.mailSettings.identities(account)).find((i) => i.id === (call.resolveId(rawId) ?? ''));
      if (!found) throw new SetFailure('notFound');
      return found;
    };
    const created: Record<string, unknown> = {};
    const notCreated: Record<string, unknown> = {};
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, unknown> = {};
    const destroyed: string[] = [];
    const notDestroyed: Record<string, unknown> = {};
    for (const [cid, value] of Object.entries(a.create ?? {})) {
      try {
        const parsed = createSchema.safeParse(value);
        if (!parsed.success) invalid(parsed.error);
        const e = parsed.data;
        if (!own.includes(e.email.trim().toLowerCase())) throw new SetFailure('forbiddenFrom', 'only your own addresses can be sent from', ['email']);
        const identity: IdentityRecord = { id: `I${randomBytes(12).toString('base64url')}`, email: e.email.trim(), name: e.name ?? account.displayName, replyTo: e.replyTo ?? null, bcc: e.bcc ?? null, textSignature: e.textSignature ?? '', htmlSignature: e.htmlSignature ?? '', mayDelete: true };
        await ctx.mailSettings.saveIdentity(account.id, identity, true);
        call.createdIds.set(cid, identity.id);
        // §5.3: what the server set or defaulted.
        created[cid] = Object.fromEntries(Object.entries(identity).filter(([k]) => !(k in e) || k === 'id'));
      } catch (err) {
        notCreated[cid] = setError(err);
      }
    }
    for (const [rawId, patch] of Object.entries(a.update ?? {})) {
      try {
        const current = await find(rawId);
        if (patch.email !== undefined && patch.email !== current.email) throw new SetFailure('invalidProperties', 'email cannot change', ['email']);
        if (patch.id !== undefined && patch.id !== current.id) throw new SetFailure('invalidProperties', 'id cannot change', ['id']);
        if (patch.mayDelete !== undefined && patch.mayDelete !== current.mayDelete) throw new SetFailure('invalidProperties', 'mayDelete is set by the server', ['mayDelete']);
        const { email: _email, id: _id, mayDelete: _mayDelete, ...rest } = patch;
        const parsed = updateSchema.safeParse(rest);
        if (!parsed.success) invalid(parsed.error);
        await ctx.mailSettings.saveIdentity(account.id, { ...current, ...parsed.data }, false);
        updated[current.id] = null;
      } catch (err) {
        notUpdated[rawId] = setError(err);
      }
    }
    for (const rawId of a.destroy ?? []) {
      try {
        const current = await find(rawId);
        if (!current.mayDelete) throw new SetFailure('forbidden', 'the identity of an address of the account cannot be destroyed');
        await ctx.mailSettings.removeIdentity(account.id, current.id);
        destroyed.push(current.id);
      } catch (err) {
        notDestroyed[rawId] = setError(err);
      }
    }
    const newState = await currentState(ctx, account.id, 'Identity');
    return [['Identity/set', { accountId: account.id, oldState, newState, created, updated, destroyed, notCreated, notUpdated, notDestroyed }]];
  },
};

export const identityMethods: Record<string, Method> = { 'Identity/get': get, 'Identity/changes': changesMethod, 'Identity/set': set };
