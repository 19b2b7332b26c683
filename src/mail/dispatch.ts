import type { Logger } from 'pino';
import { normalizeAddress } from '../core/addresses.ts';
import { PosternError } from '../core/errors.ts';
import type { AccountRecord, AccountRepo } from '../core/ports.ts';
import type { MailStore } from './mailStore.ts';
import type { RelayQueue } from './relayQueue.ts';

export interface DispatchDeps {
  accounts: AccountRepo;
  mail: MailStore;
  relay: RelayQueue;
  log: Logger;
  /** The vacation response, told of every delivery to an INBOX. */
  autoReply: { afterDelivery(account: AccountRecord, envelopeFrom: string, message: Buffer): Promise<void> };
}

export type Recipient = { kind: 'local'; account: AccountRecord } | { kind: 'remote'; address: string } | { kind: 'unknown' } | { kind: 'invalid' };

/** Local (a served domain with that account or alias), unknown (a served domain without it), or remote. */
export async function resolveRecipient(deps: Pick<DispatchDeps, 'accounts'>, input: string): Promise<Recipient> {
  let parts: ReturnType<typeof normalizeAddress>;
  try {
    parts = normalizeAddress(input);
  } catch {
    return { kind: 'invalid' };
  }
  if (!(await deps.accounts.domainExists(parts.domain))) return { kind: 'remote', address: parts.address };
  const account = await deps.accounts.findRecipient(parts.address);
  return account ? { kind: 'local', account } : { kind: 'unknown' };
}

export interface Dispatch {
  /** The authenticated sender of a submission: gets a copy in Sent (unless `sentCopy` is false). */
  sender?: AccountRecord;
  /** False when the message already is in the sender's Sent mailbox (a JMAP draft moved there on success). */
  sentCopy?: boolean;
  envelopeFrom: string;
  recipients: Recipient[];
  message: Buffer;
  /** Where local recipients get it: INBOX, or Junk for mail the checks found suspect. */
  into?: 'INBOX' | '\\Junk';
}

/**
 * Stores a message for every local recipient and queues it for the remote ones; when it resolves
 * everything is durable. Quota is checked for every local recipient first, so that a full mailbox
 * refuses the message as a whole rather than delivering it to some.
 */
export async function dispatch(deps: DispatchDeps, d: Dispatch): Promise<{ local: number; remote: number }> {
  const locals = [...new Map(d.recipients.flatMap((r) => (r.kind === 'local' ? [[r.account.id, r.account] as const] : []))).values()];
  const remotes = [...new Set(d.recipients.flatMap((r) => (r.kind === 'remote' ? [r.address] : [])))];
  for (const account of locals) {
    if (!(await deps.mail.hasRoom(account, d.message.length))) throw new PosternError('quota_exceeded');
  }
  if (remotes.length > 0 && !deps.relay.enabled) throw new PosternError('relay_not_configured');
  if (d.sender && d.sentCopy !== false) {
    // A full mailbox must not stop the user from sending: the copy is skipped, the mail goes out.
    await deps.mail.deliver(d.sender.id, d.message, '\\Sent', ['\\Seen']).catch((err: unknown) => deps.log.warn({ err, account: d.sender!.id }, 'no copy in Sent'));
  }
  for (const account of locals) await deps.mail.deliver(account.id, d.message, d.into);
  // After all deliveries are durable; suspect mail (Junk) is not answered.
  if (d.into !== '\\Junk') for (const account of locals) await deps.autoReply.afterDelivery(account, d.envelopeFrom, d.message);
  if (remotes.length > 0) await deps.relay.enqueue(d.sender?.id ?? null, d.envelopeFrom, remotes, d.message);
  return { local: locals.length, remote: remotes.length };
}
