// The standard methods' shared parts (RFC 8620 §5): states, /get id lists and properties, /changes.
import { z } from 'zod';
import type { ChangeKind } from '../../mail/types.ts';
import type { Context } from '../../context.ts';
import type { Call } from './engine.ts';
import { MethodError } from './errors.ts';
import { limits } from './session.ts';

export const id = z.string().min(1).max(255).regex(/^[A-Za-z0-9_#-]+$/, 'not an Id');
export const uint = z.number().int().min(0).max(2 ** 53 - 1);

export const getArgs = z.object({ accountId: z.string(), ids: z.array(id).nullable().optional(), properties: z.array(z.string()).nullable().optional() });
export const changesArgs = z.object({ accountId: z.string(), sinceState: z.string(), maxChanges: uint.min(1).nullable().optional() });

export const stateOf = (seq: number) => String(seq);

export async function currentState(ctx: Context, accountId: string, kind: ChangeKind): Promise<string> {
  return stateOf(await ctx.emails.repo.state(accountId, kind));
}

/** The ids a /get asks for (creation ids resolved), or null for "all"; refuses too many. */
export function wantedIds(ids: string[] | null | undefined, call: Call): { asked: string[]; resolved: (string | null)[] } | null {
  if (ids === null || ids === undefined) return null;
  if (ids.length > limits.maxObjectsInGet) throw new MethodError('requestTooLarge', `at most ${limits.maxObjectsInGet} ids`);
  return { asked: ids, resolved: ids.map((i) => call.resolveId(i)) };
}

/** Keeps `id` and the asked properties; unknown ones are invalidArguments (§5.1). */
export function pick<T extends Record<string, unknown>>(objects: T[], properties: string[] | null | undefined, known: readonly string[]): Partial<T>[] {
  if (!properties) return objects;
  const bad = properties.find((p) => !known.includes(p));
  if (bad) throw new MethodError('invalidArguments', `unknown property ${bad.slice(0, 100)}`);
  const keep = new Set(['id', ...properties]);
  return objects.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k))) as Partial<T>);
}

function parseState(state: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(state)) throw new MethodError('cannotCalculateChanges', 'unknown state');
  return Number(state);
}

/**
 * /changes over the account's change log: whole transactions at a time, so that `newState` is a
 * state the account really was in.
 */
export async function changes(ctx: Context, accountId: string, kind: ChangeKind, sinceState: string, maxChanges: number | null | undefined) {
  const since = parseState(sinceState);
  const current = await ctx.emails.repo.state(accountId, kind);
  if (since > current) throw new MethodError('cannotCalculateChanges', 'state from the future');
  const max = Math.min(maxChanges ?? 5000, 5000);
  const rows = await ctx.emails.repo.changes(accountId, kind, since, max * 4 + 1);
  const fate = new Map<string, { first: string; last: string }>();
  let newState = since;
  let hasMore = false;
  for (let i = 0; i < rows.length; ) {
    const seq = rows[i].seq;
    let j = i;
    while (j < rows.length && rows[j].seq === seq) j++;
    const group = rows.slice(i, j);
    const grown = new Set([...fate.keys(), ...group.map((r) => r.id)]).size;
    // The last group read may be cut by the row limit: it counts only when the read did not fill.
    if (grown > max || (j === rows.length && rows.length === max * 4 + 1)) {
      hasMore = true;
      break;
    }
    for (const r of group) {
      const f = fate.get(r.id);
      fate.set(r.id, { first: f?.first ?? r.op, last: r.op });
    }
    newState = seq;
    i = j;
  }
  if (hasMore && newState === since) throw new MethodError('cannotCalculateChanges', 'too many changes in one step; fetch again from scratch');
  if (!hasMore) newState = current;
  const created: string[] = [];
  const updated: string[] = [];
  const destroyed: string[] = [];
  for (const [oid, f] of fate) {
    if (f.first === 'c' && f.last === 'd') continue;
    if (f.first === 'c') created.push(oid);
    else if (f.last === 'd') destroyed.push(oid);
    else updated.push(oid);
  }
  return { accountId, oldState: sinceState, newState: stateOf(newState), hasMoreChanges: hasMore, created, updated, destroyed };
}

/** `ifInState` of /set and /import (§5.3): the call is refused when the state moved on. */
export function checkState(ifInState: string | null | undefined, state: string): void {
  if (ifInState !== undefined && ifInState !== null && ifInState !== state) throw new MethodError('stateMismatch');
}

export const setArgs = z.object({
  accountId: z.string(),
  ifInState: z.string().nullable().optional(),
  create: z.record(z.string(), z.unknown()).nullable().optional(),
  update: z.record(z.string(), z.record(z.string(), z.unknown())).nullable().optional(),
  destroy: z.array(z.string()).nullable().optional(),
});

/**
 * What every /set (§5.3) starts with: its arguments, no more objects than the session allows,
 * `ifInState` checked, and the response to fill in as the creates, updates and destroys go.
 */
export async function beginSet<S extends typeof setArgs>(ctx: Context, accountId: string, kind: ChangeKind, raw: unknown, schema: S = setArgs as S) {
  const args: z.infer<S> = schema.parse(raw);
  checkSetSize(args.create, args.update, args.destroy);
  const oldState = await currentState(ctx, accountId, kind);
  checkState(args.ifInState, oldState);
  const result = { accountId, oldState, newState: oldState, created: {} as Record<string, unknown>, updated: {} as Record<string, unknown>, destroyed: [] as string[], notCreated: {} as Record<string, unknown>, notUpdated: {} as Record<string, unknown>, notDestroyed: {} as Record<string, unknown> };
  return { args, oldState, result };
}

export function checkSetSize(...groups: (Record<string, unknown> | unknown[] | null | undefined)[]): void {
  const n = groups.reduce<number>((sum, g) => sum + (g ? (Array.isArray(g) ? g.length : Object.keys(g).length) : 0), 0);
  if (n > limits.maxObjectsInSet) throw new MethodError('requestTooLarge', `at most ${limits.maxObjectsInSet} objects per /set`);
}
