import { messageKey, PosternError, type ErrorCode } from '../../core/errors.ts';
import type { ClientAuthFailure } from '../../core/clientAuth.ts';
import { t } from '../../i18n/index.ts';
import { authFailureText } from '../authReplies.ts';

/** An error smtp-server sends as `<code> <text>`; the text is ASCII (RFC 5321 §4.2.1). */
export function smtpError(code: number, text: string): Error {
  const err = new Error(text) as Error & { responseCode: number };
  err.responseCode = code;
  return err;
}

// English only: reply texts are ASCII (RFC 5321 §4.2), what every client and log can show.
const text = (enhanced: string, key: string, params: Record<string, string | number> = {}) => `${enhanced} ${t('en', `protocol.smtp.${key}`, params)}`;

export const reply = {
  relayDenied: () => smtpError(554, text('5.7.1', 'relayDenied')),
  noRelayConfigured: () => smtpError(550, text('5.7.1', 'noRelayConfigured')),
  unknownUser: () => smtpError(550, text('5.1.1', 'unknownUser')),
  quota: () => smtpError(552, text('5.2.2', 'quota')),
  tooBig: (max: number) => smtpError(552, text('5.3.4', 'tooBig', { max })),
  senderNotOwned: (address: string) => smtpError(553, text('5.7.1', 'senderNotOwned', { address })),
  unsupportedParam: (name: string) => smtpError(555, text('5.5.4', 'unsupportedParam', { name })),
  authRequired: text('5.7.0', 'authRequired'),
  nullSender: () => smtpError(553, text('5.7.1', 'nullSender')),
  badAddress: () => smtpError(553, text('5.1.3', 'badAddress')),
  tempFailure: () => smtpError(451, text('4.3.0', 'tempFailure')),
  connectionLost: () => smtpError(451, text('4.4.2', 'connectionLost')),
  auth: (reason: ClientAuthFailure) =>
    reason === 'throttled' ? smtpError(454, `4.7.0 ${authFailureText(reason)}`) : smtpError(535, `5.7.8 ${authFailureText(reason)}`),
};

/** Inbound mail the authentication checks refused (550) or could not finish (451): code, enhanced code. */
const inboundReplies: Partial<Record<ErrorCode, [number, string]>> = {
  inbound_own_domain_unauthenticated: [550, '5.7.1'],
  inbound_dmarc_reject: [550, '5.7.1'],
  inbound_spam: [550, '5.7.1'],
  inbound_dns_unavailable: [451, '4.4.3'],
  inbound_spam_filter_unavailable: [451, '4.7.1'],
};

/** Errors of the store become SMTP replies; anything unexpected is temporary, so that the sender retries. */
export function storeErrorReply(err: unknown, maxBytes: number): Error {
  if (err instanceof PosternError) {
    if (err.code === 'quota_exceeded') return reply.quota();
    if (err.code === 'message_too_large') return reply.tooBig(maxBytes);
    if (err.code === 'relay_not_configured') return reply.noRelayConfigured();
    if (err.code === 'sender_not_owned') return reply.senderNotOwned(String(err.params.address));
    if (err.code === 'unknown_recipient') return reply.unknownUser();
    const inbound = inboundReplies[err.code];
    if (inbound) return smtpError(inbound[0], `${inbound[1]} ${t('en', messageKey(err.code))}`);
  }
  return reply.tempFailure();
}
