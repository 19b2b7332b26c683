import { PosternError } from '../core/errors.ts';
import type { AccountRecord } from '../core/ports.ts';
import { checkSenderIdentity } from '../core/senderIdentity.ts';
import { dispatch, resolveRecipient, type DispatchDeps } from './dispatch.ts';
import { headerAddresses } from './headers.ts';

export interface SubmitDeps extends DispatchDeps {
  /** The addresses the account may send as (core Accounts.sendingAddresses). */
  sendingAddresses(account: AccountRecord): Promise<string[]>;
}

export interface Submission {
  account: AccountRecord;
  envelopeFrom: string;
  recipients: string[];
  /** The complete message as it will be sent (trace headers, Message-ID and Date already in place). */
  message: Buffer;
  /** See Dispatch.sentCopy: exactly one copy of what was sent ends up in Sent. */
  sentCopy?: boolean;
}

/**
 * A signed-in user sends a message (SMTP submission, JMAP EmailSubmission, webmail): the sender
 * identity rule, then one copy in the sender's Sent, local delivery, and the relay queue (which
 * DKIM-signs). Resolves once all of it is durable.
 */
export async function submitMessage(deps: SubmitDeps, s: Submission): Promise<{ local: number; remote: number }> {
  checkSenderIdentity(
    { envelopeFrom: s.envelopeFrom, from: headerAddresses(s.message, 'from'), sender: headerAddresses(s.message, 'sender') },
    await deps.sendingAddresses(s.account),
  );
  const recipients = await Promise.all(s.recipients.map((address) => resolveRecipient(deps, address)));
  const bad = recipients.findIndex((r) => r.kind === 'unknown' || r.kind === 'invalid');
  if (bad !== -1) throw new PosternError('unknown_recipient', { address: s.recipients[bad].slice(0, 320) });
  return dispatch(deps, { sender: s.account, envelopeFrom: s.envelopeFrom, recipients, message: s.message, sentCopy: s.sentCopy });
}
