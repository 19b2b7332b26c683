// RFC 8621 §3 Thread/get and /changes, Email/changes, and RFC 8620 §4 Core/echo.
import { emailIdOf } from '../../../store/mailChanges.ts';
import type { Method } from '../services.ts';
import { changes, changesArgs, currentState, getArgs, wantedIds } from '../standard.ts';
import { MethodError } from '../errors.ts';

const threadGet: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = getArgs.parse(raw);
    const want = wantedIds(a.ids, call);
    if (!want) throw new MethodError('requestTooLarge', 'ask for Thread ids');
    const state = await currentState(ctx, account.id, 'Thread');
    const members = await ctx.emails.repo.threads(account.id, want.resolved.filter((r): r is string => r !== null));
    const byThread = new Map<string, string[]>();
    for (const m of members) {
      const list = byThread.get(m.threadId) ?? [];
      const emailId = emailIdOf(m.blobId);
      if (!list.includes(emailId)) list.push(emailId);
      byThread.set(m.threadId, list);
    }
    const list = want.resolved.flatMap((t) => (t && byThread.has(t) ? [{ id: t, emailIds: byThread.get(t)! }] : []));
    const notFound = want.asked.filter((_, i) => !byThread.has(want.resolved[i] ?? ''));
    return [['Thread/get', { accountId: account.id, state, list, notFound }]];
  },
};

const changesOf = (kind: 'Thread' | 'Email'): Method => ({
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx }) {
    const a = changesArgs.parse(raw);
    return [[`${kind}/changes`, await changes(ctx, call.accountId, kind, a.sinceState, a.maxChanges)]];
  },
});

const echo: Method = {
  capability: 'urn:ietf:params:jmap:core',
  async run(args) {
    return [['Core/echo', args]];
  },
};

export const threadMethods: Record<string, Method> = {
  'Thread/get': threadGet,
  'Thread/changes': changesOf('Thread'),
  'Email/changes': changesOf('Email'),
  'Core/echo': echo,
};
