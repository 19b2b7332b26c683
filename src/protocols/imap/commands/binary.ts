// RFC 3516 BINARY: FETCH BINARY[part]<partial>, BINARY.PEEK and BINARY.SIZE give a part's content
// with its Content-Transfer-Encoding undone.
import { findPart, type MimePart } from '../../../mail/structure.ts';
import { decodeTransferEncoding } from '../../../mail/transferEncoding.ts';
import { ImapError } from '../session.ts';
import { bad } from './args.ts';

export interface BinaryItem {
  kind: 'binary';
  /** "BINARY[1.2]" or "BINARY.SIZE[1.2]", as echoed in the response. */
  name: string;
  path: number[];
  size: boolean;
  peek: boolean;
  partial: { start: number; length: number } | null;
}

const itemPattern = /^BINARY(\.PEEK|\.SIZE)?\[((?:[1-9]\d{0,4}\.)*[1-9]\d{0,4})?\](?:<(\d{1,10})\.(\d{1,10})>)?$/i;

/** The BINARY item a FETCH attribute names, or null when it is not one. */
export function parseBinaryItem(text: string): BinaryItem | null {
  if (!/^BINARY[.[]/i.test(text)) return null;
  const m = itemPattern.exec(text);
  if (!m) throw bad(`invalid BINARY item ${text.slice(0, 30)}`);
  const variant = m[1]?.toUpperCase();
  if (variant === '.SIZE' && m[3] !== undefined) throw bad('BINARY.SIZE takes no partial range');
  if (m[4] !== undefined && Number(m[4]) === 0) throw bad('invalid partial range');
  return {
    kind: 'binary',
    name: `BINARY${variant === '.SIZE' ? '.SIZE' : ''}[${m[2] ?? ''}]`,
    path: m[2] ? m[2].split('.').map(Number) : [],
    size: variant === '.SIZE',
    peek: variant !== undefined,
    partial: m[3] === undefined ? null : { start: Number(m[3]), length: Number(m[4]) },
  };
}

/** The decoded content of the part (the whole message for "[]"); NO [UNKNOWN-CTE] when it cannot be decoded. */
export function binaryContent(raw: Buffer, root: MimePart | null, path: number[]): Buffer {
  if (!path.length) return raw;
  const part = findPart(root!, path);
  if (!part) return Buffer.alloc(0);
  const body = raw.subarray(part.bodyStart, part.bodyEnd);
  if (part.parts.length || part.message) return body;
  const decoded = decodeTransferEncoding(body, part.encoding);
  if (!decoded) throw new ImapError('NO', `Unknown Content-Transfer-Encoding ${part.encoding.slice(0, 30)}`, 'UNKNOWN-CTE');
  return decoded;
}
