import { PosternError } from './errors.ts';

/** Who a submitted message claims to be from: the envelope sender and the `From:` and `Sender:` addresses. */
export interface ClaimedSender {
  envelopeFrom: string;
  from: string[];
  sender: string[];
}

/**
 * SPEC M6: a signed-in user sends only as one of the account's own addresses (its address, and its
 * aliases once they exist). The envelope sender and every `From:`/`Sender:` address must be one of
 * `own`; the first one that is not is named in the error. SMTP submission, JMAP and the webmail
 * all ask this one rule.
 */
export function checkSenderIdentity(claimed: ClaimedSender, own: readonly string[]): void {
  const allowed = new Set(own.map((a) => a.toLowerCase()));
  for (const address of [claimed.envelopeFrom, ...claimed.from, ...claimed.sender]) {
    if (!allowed.has(address.trim().toLowerCase())) throw new PosternError('sender_not_owned', { address: address.slice(0, 320) });
  }
}
