import { PosternError } from '../../core/errors.ts';
import type { ClientAuthFailure } from '../../core/clientAuth.ts';
import { authFailureText } from '../authReplies.ts';

/** An error smtp-server sends as `<code> <text>`; the text is ASCII (RFC 5321 §4.2.1). */
export function smtpError(code: number, text: string): Error {
  const err = new Error(text) as Error & { responseCode: number };
  err.responseCode = code;
  return err;
}

export const reply = {
  relayDenied: () => smtpError(554, '5.7.1 Relay access denied'),
  noRelayConfigured: () => smtpError(550, '5.7.1 Outbound mail is not configured on this server'),
  unknownUser: () => smtpError(550, '5.1.1 No such user here'),
  quota: () => smtpError(552, '5.2.2 Mailbox full'),
  tooBig: (max: number) => smtpError(552, `5.3.4 Message exceeds the size limit of ${max} bytes`),
  senderNotOwned: () => smtpError(553, '5.7.1 Sender address does not belong to the authenticated account'),
  nullSender: () => smtpError(553, '5.7.1 A sender address is required'),
  badAddress: () => smtpError(553, '5.1.3 Invalid address'),
  tempFailure: () => smtpError(451, '4.3.0 Temporary failure, try again later'),
  auth: (reason: ClientAuthFailure) =>
    reason === 'throttled' ? smtpError(454, `4.7.0 ${authFailureText(reason)}`) : smtpError(535, `5.7.8 ${authFailureText(reason)}`),
};

/** Errors of the store become SMTP replies; anything unexpected is temporary, so that the sender retries. */
export function storeErrorReply(err: unknown, maxBytes: number): Error {
  if (err instanceof PosternError) {
    if (err.code === 'quota_exceeded') return reply.quota();
    if (err.code === 'message_too_large') return reply.tooBig(maxBytes);
    if (err.code === 'relay_not_configured') return reply.noRelayConfigured();
  }
  return reply.tempFailure();
}
