// RFC 8620 §5.6 from the change log: every object changed since the old query state is reported
// removed and, when it still matches, added at its index now. Unchanged objects keep their order,
// because every sort key is a property whose change is logged.
import { z } from 'zod';
import type { Context } from '../../../context.ts';
import type { ChangeKind } from '../../../mail/types.ts';
import { MethodError } from '../errors.ts';
import { changes, uint } from '../standard.ts';

const args = z.object({
  accountId: z.string(),
  sinceQueryState: z.string(),
  maxChanges: uint.min(1).nullable().optional(),
  upToId: z.string().nullable().optional(),
  calculateTotal: z.boolean().optional(),
});

/** `alsoRemoved`: ids whose place may have changed without a change of their own (a thread's shown Email). */
export async function queryChanges(ctx: Context, accountId: string, kind: ChangeKind, raw: unknown, currentIds: string[], alsoRemoved: string[] = []) {
  const a = args.passthrough().parse(raw);
  const log = await changes(ctx, accountId, kind, a.sinceQueryState, null);
  if (log.hasMoreChanges) throw new MethodError('cannotCalculateChanges');
  const touched = new Set([...log.created, ...log.updated, ...log.destroyed, ...alsoRemoved]);
  const removed = [...new Set([...log.updated, ...log.destroyed, ...alsoRemoved])];
  const added = currentIds.map((id, index) => ({ id, index })).filter((x) => touched.has(x.id));
  if (a.maxChanges && removed.length + added.length > a.maxChanges) throw new MethodError('tooManyChanges');
  return {
    accountId,
    oldQueryState: a.sinceQueryState,
    newQueryState: log.newState,
    removed,
    added,
    ...(a.calculateTotal ? { total: currentIds.length } : {}),
  };
}
