// Content-Transfer-Encoding (RFC 2045 §6): decoding a part's body to its bytes (IMAP BINARY), and
// base64-encoding the parts of a message that are "binary" (IMAP APPEND of a literal8).
import { parseStructure, type MimePart } from './structure.ts';

const identity = new Set(['7bit', '8bit', 'binary']);

/** Quoted-printable: trailing blanks dropped, "=" at a line's end joins it to the next, "=XX" a byte. */
function decodeQuotedPrintable(bytes: Buffer): Buffer {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  const out: number[] = [];
  lines.forEach((line, index) => {
    let text = line.replace(/[ \t]+$/, '');
    const soft = text.endsWith('=');
    if (soft) text = text.slice(0, -1);
    for (let i = 0; i < text.length; i++) {
      const hex = text[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(text.slice(i + 1, i + 3)) : null;
      if (hex) {
        out.push(parseInt(hex[0], 16));
        i += 2;
      } else out.push(text.charCodeAt(i));
    }
    if (!soft && index < lines.length - 1) out.push(0x0d, 0x0a);
  });
  return Buffer.from(out);
}

/** The decoded body, or null when the encoding is not one RFC 2045 defines. */
export function decodeTransferEncoding(body: Buffer, encoding: string): Buffer | null {
  if (identity.has(encoding)) return body;
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return null;
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
