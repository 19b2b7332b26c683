import { randomBytes } from 'node:crypto';
import { bilingual, defaultLang, t } from '../i18n/index.ts';
import { rfc2822Date } from './headers.ts';

export interface BounceInput {
  hostname: string;
  sender: string;
  recipients: string[];
  reason: string;
  original: Buffer;
  now: Date;
}

const encodeWord = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;

/** The original's header block, so that the sender recognises the message (RFC 3462 text/rfc822-headers). */
function headerBlock(raw: Buffer): string {
  const text = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).replace(/\r?\n/g, '\r\n');
}

/** A delivery status notification (RFC 3464) telling the sender that relaying gave up. */
export function buildBounce(input: BounceInput): Buffer {
  const boundary = `bounce-${randomBytes(8).toString('hex')}`;
  const reason = input.reason.replace(/[\r\n]+/g, ' ').slice(0, 500);
  const text = [
    bilingual('mail.bounce.intro'),
    '',
    ...input.recipients.map((r) => `  ${r}`),
    '',
    `${bilingual('mail.bounce.reason')}: ${reason}`,
  ].join('\r\n');
  const status = [
    `Reporting-MTA: dns; ${input.hostname}`,
    `Arrival-Date: ${rfc2822Date(input.now)}`,
    '',
    ...input.recipients.flatMap((r) => [`Final-Recipient: rfc822; ${r}`, 'Action: failed', 'Status: 5.0.0', `Diagnostic-Code: smtp; ${reason}`, '']),
  ].join('\r\n');
  const message = [
    `From: ${encodeWord(t(defaultLang, 'mail.bounce.from'))} <MAILER-DAEMON@${input.hostname}>`,
    `To: <${input.sender}>`,
    `Subject: ${encodeWord(bilingual('mail.bounce.subject'))}`,
    `Date: ${rfc2822Date(input.now)}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${input.hostname}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    status,
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headerBlock(input.original),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from(message, 'latin1');
}
