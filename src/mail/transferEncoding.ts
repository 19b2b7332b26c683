// Content-Transfer-Encoding (RFC 2045 §6): decoding a part's body to its bytes (IMAP BINARY, JMAP
// blobs and body values, the message summary), and
// base64-encoding the parts of a message that are "binary" (IMAP APPEND of a literal8).
import { parseStructure, type MimePart } from './structure.ts';

const identity = new Set(['7bit', '8bit', 'binary']);

const hex = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/**
 * Quoted-printable: blanks at a line's end dropped, "=" at a line's end (or the end) joins it to
 * the next, then "=XX" a byte; line breaks stay as they are (libqp's reading, which mailparser had).
 */
function decodeQuotedPrintable(bytes: Buffer): Buffer {
  // The leading group keeps the blank-stripping linear: /[ \t]+$/gm rescans a run from each of its blanks.
  const text = bytes.toString('latin1').replace(/(^|[^ \t])[ \t]+(?=[\r\n]|$)/g, '$1').replace(/=(?:\r?\n|$)/g, '');
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && i + 2 < text.length) {
      const hi = hex(text.charCodeAt(i + 1));
      const lo = hi >= 0 ? hex(text.charCodeAt(i + 2)) : -1;
      if (lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Base64 with anything outside the alphabet skipped; padding may end one run and another follow (concatenated encodings). */
function decodeBase64(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1').replace(/[^A-Za-z0-9+/=]+/g, '');
  if (!/=[^=]/.test(text)) return Buffer.from(text, 'base64');
  return Buffer.concat(text.split(/(?<==)(?=[^=])/).map((run) => Buffer.from(run, 'base64')));
}

/** The decoded body, or null when the encoding is not one RFC 2045 defines. */
export function decodeTransferEncoding(body: Buffer, encoding: string): Buffer | null {
  if (identity.has(encoding)) return body;
  if (encoding === 'base64') return decodeBase64(body);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return null;
}

/** A part's body decoded; an encoding RFC 2045 does not define leaves it as it is. */
export function partBody(raw: Buffer, part: MimePart): Buffer {
  const body = raw.subarray(part.bodyStart, part.bodyEnd);
  return decodeTransferEncoding(body, part.encoding) ?? body;
}

function leaves(part: MimePart, out: MimePart[] = []): MimePart[] {
  if (part.parts.length) for (const p of part.parts) leaves(p, out);
  else if (part.message) leaves(part.message.body, out);
  else out.push(part);
  return out;
}

const cteLine = /^content-transfer-encoding:.*(\r?\n[ \t].*)*\r?\n/im;

/**
 * The message with every leaf part that holds NUL bytes or says "binary" re-encoded as base64, so
 * that what is stored stays valid RFC 5322 text (RFC 3516 §4.4 leaves the conversion to the server).
 */
export function encodeBinaryParts(raw: Buffer): Buffer {
  const parts = leaves(parseStructure(raw).body).filter((p) => p.encoding === 'binary' || raw.subarray(p.bodyStart, p.bodyEnd).includes(0));
  if (!parts.length) return raw;
  const chunks: Buffer[] = [];
  let pos = 0;
  for (const part of parts) {
    let header = raw.toString('latin1', part.headerStart, part.bodyStart);
    const field = 'Content-Transfer-Encoding: base64\r\n';
    header = cteLine.test(header) ? header.replace(cteLine, field) : header.replace(/(\r?\n)$/, `${field}$1`);
    const body = raw.subarray(part.bodyStart, part.bodyEnd).toString('base64').replace(/.{1,76}/g, '$&\r\n');
    chunks.push(raw.subarray(pos, part.headerStart), Buffer.from(header, 'latin1'), Buffer.from(body, 'latin1'));
    pos = part.bodyEnd;
  }
  chunks.push(raw.subarray(pos));
  return Buffer.concat(chunks);
}
