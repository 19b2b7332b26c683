// Push for one account (RFC 8620 §7): listens on the bus to the account's mailboxes, on any node,
// and reports the data types whose state moved.
import type { Context } from '../../context.ts';
import { mailboxListTopic, mailboxTopic, type MailEvent } from '../../mail/mailStore.ts';
import { settingsTopic } from '../../mail/mailSettings.ts';
import type { ChangeKind } from '../../mail/types.ts';
import { stateOf } from './standard.ts';

export const pushTypes = ['Email', 'Mailbox', 'Thread', 'EmailDelivery', 'Identity', 'VacationResponse'] as const;
export type PushType = (typeof pushTypes)[number];
export type StateChange = { '@type': 'StateChange'; changed: Record<string, Partial<Record<PushType, string>>> };

export interface Watch {
  close(): void;
}

export function watchAccount(ctx: Context, accountId: string, types: PushType[], onChange: (change: StateChange) => void): Promise<Watch> {
  const kinds = types.filter((t): t is ChangeKind => t !== 'EmailDelivery');
  const unsubscribe = new Map<string, () => void>();
  let last: Record<string, number> = {};
  let delivered = false;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const states = async () => {
    const out: Record<string, number> = {};
    for (const k of new Set<ChangeKind>([...kinds, ...(types.includes('EmailDelivery') ? ['Email' as const] : [])])) out[k] = await ctx.emails.repo.state(accountId, k);
    return out;
  };

  const check = async () => {
    timer = null;
    const now = await states();
    const changed: Partial<Record<PushType, string>> = {};
    for (const k of kinds) if (now[k] !== last[k]) changed[k] = stateOf(now[k]);
    if (delivered && types.includes('EmailDelivery')) changed.EmailDelivery = stateOf(now.Email);
    delivered = false;
    last = now;
    if (!closed && Object.keys(changed).length) onChange({ '@type': 'StateChange', changed: { [accountId]: changed } });
  };
  const soon = () => {
    // Events of one change come together (flags in two mailboxes, a move): one push for them.
    timer ??= setTimeout(() => void check().catch((err: unknown) => ctx.log.warn({ err }, 'jmap push state')), 25);
  };

  const follow = async () => {
    const boxes = await ctx.mail.mailboxes(accountId);
    for (const box of boxes) {
      if (unsubscribe.has(box.id)) continue;
      unsubscribe.set(
        box.id,
        ctx.bus.subscribe(mailboxTopic(box.id), (payload) => {
          if ((payload as MailEvent).type === 'exists') delivered = true;
          soon();
        }),
      );
    }
  };

  return (async () => {
    unsubscribe.set('list', ctx.bus.subscribe(mailboxListTopic(accountId), () => void follow().then(soon)));
    unsubscribe.set('settings', ctx.bus.subscribe(settingsTopic(accountId), soon));
    await follow();
    last = await states();
    return {
      close() {
        closed = true;
        if (timer) clearTimeout(timer);
        for (const off of unsubscribe.values()) off();
      },
    };
  })();
}

/** `types` of an EventSource URL or a WebSocket push enable: `*` or a list of known types. */
export function parseTypes(value: unknown): PushType[] {
  if (value === undefined || value === null || value === '*') return [...pushTypes];
  const list = Array.isArray(value) ? value : String(value).split(',');
  return pushTypes.filter((t) => list.includes(t));
}
