import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { prepend } from './sharedBytes.ts';

/** `Wed, 25 Nov 2026 12:00:00 +0000` */
export const rfc2822Date = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

/** Where the header block ends (the blank line), or the whole message when it has no body. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return raw.length;
  if (crlf === -1) return lf;
  if (lf === -1) return crlf;
  return Math.min(crlf, lf);
}

/** The header fields named `name`, unfolded, without their names. */
export function headerFields(raw: Buffer, name: string): string[] {
  const lines = raw.subarray(0, headerEnd(raw)).toString('utf8').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const prefix = new RegExp(`^${name}[ \\t]*:`, 'i');
  return lines.filter((l) => prefix.test(l)).map((l) => l.slice(l.indexOf(':') + 1));
}

/** Every mailbox address of the `name:` fields (groups flattened); a mailbox without an address gives ''. */
export function headerAddresses(raw: Buffer, name: string): string[] {
  return headerFields(raw, name).flatMap((value) => addressparser(value, { flatten: true }).map((a) => a.address ?? ''));
}

/**
 * The message without the header fields `drop` picks (given the lower-cased name and the unfolded
 * value); every other byte, the body above all, stays as it was.
 */
export function removeHeaders(raw: Buffer, drop: (name: string, value: string) => boolean): Buffer {
  const end = headerEnd(raw);
  const blockEnd = end === raw.length ? end : end + (raw[end] === 0x0d ? 2 : 1);
  const fields = raw.subarray(0, blockEnd).toString('latin1').split(/(?<=\n)(?![ \t])/);
  const kept = fields.filter((field) => {
    const colon = field.indexOf(':');
    return colon === -1 || !drop(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  });
  if (kept.length === fields.length) return raw;
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(blockEnd)]);
}

function hasHeader(raw: Buffer, name: string): boolean {
  return headerFields(raw, name).length > 0;
}

/** Only what may safely appear in a trace header: no line breaks, nothing a client could smuggle in. */
const safe = (s: string | false | undefined) => (s || 'unknown').replace(/[^\w.:\-[\]]/g, '').slice(0, 255) || 'unknown';

const forClause = (recipients: string[] | undefined) => (recipients?.length === 1 ? `\r\n\tfor <${recipients[0].replace(/[^\w.@+=!#$%&'*/?^`{|}~-]/g, '')}>` : '');

export interface TraceInfo {
  /** The name the client gave in EHLO/HELO. */
  clientHostname: string | false | undefined;
  remoteAddress: string;
  hostname: string;
  protocol: string;
  id: string;
  now: Date;
  /** Named in `for <…>` when the message has exactly one recipient (more would disclose Bcc). */
  recipients?: string[];
}

/**
 * Prepends `Received:` (always) and, for submissions, `Message-ID:` and `Date:` when the client left
 * them out; `above` (whole header lines) goes on top of them. The message is made in shared memory
 * (sharedBytes.ts), as it is stored: in the room readData left in front of it when there is enough.
 */
export function addTraceHeaders(raw: Buffer, trace: TraceInfo, complete: boolean, above = ''): Buffer {
  const lines = [
    `Received: from ${safe(trace.clientHostname)} ([${safe(trace.remoteAddress)}])\r\n\tby ${safe(trace.hostname)} (Postern) with ${safe(trace.protocol)} id ${safe(trace.id)}${forClause(trace.recipients)};\r\n\t${rfc2822Date(trace.now)}`,
  ];
  if (complete && !hasHeader(raw, 'message-id')) lines.push(`Message-ID: <${randomBytes(12).toString('hex')}@${safe(trace.hostname)}>`);
  if (complete && !hasHeader(raw, 'date')) lines.push(`Date: ${rfc2822Date(trace.now)}`);
  return prepend(Buffer.from(above + lines.join('\r\n') + '\r\n'), raw);
}
