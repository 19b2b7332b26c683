// BODY[section]<partial> specifiers (RFC 3501 §6.4.5) and the bytes they name.
import { findPart, type MimePart } from '../../mail/structure.ts';

export interface Section {
  /** As the client wrote it, echoed in the response: "BODY[<text>]". */
  text: string;
  path: number[];
  kind: '' | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  fields: string[];
  partial: { start: number; length: number } | null;
}

/** Parses the inside of "[...]" and an optional "<start.length>"; throws on bad syntax. */
export function parseSection(inside: string, partial: string | undefined): Section {
  const m = /^((?:[1-9]\d{0,4}\.)*[1-9]\d{0,4})?(?:\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME))?(?: \(([^()]*)\))?$/i.exec(inside);
  if (!m) throw new Error('invalid section');
  const path = m[1] ? m[1].split('.').map(Number) : [];
  const kind = (m[2]?.toUpperCase() ?? '') as Section['kind'];
  if (m[1] && m[2] && !inside.slice(m[1].length).startsWith('.')) throw new Error('invalid section');
  if (!m[1] && inside.startsWith('.')) throw new Error('invalid section');
  if (kind === 'MIME' && !path.length) throw new Error('MIME needs a part number');
  const wantsFields = kind === 'HEADER.FIELDS' || kind === 'HEADER.FIELDS.NOT';
  if (wantsFields !== (m[3] !== undefined)) throw new Error('invalid header field list');
  const fields = m[3] ? m[3].trim().split(/\s+/).filter(Boolean).map((f) => f.replace(/^"|"$/g, '').toLowerCase()) : [];
  if (wantsFields && !fields.length) throw new Error('empty header field list');
  let range: Section['partial'] = null;
  if (partial !== undefined) {
    const p = /^<(\d{1,10})\.(\d{1,10})>$/.exec(partial);
    if (!p || Number(p[2]) === 0) throw new Error('invalid partial range');
    range = { start: Number(p[1]), length: Number(p[2]) };
  }
  return { text: inside, path, kind, fields, partial: range };
}

function headerLines(raw: Buffer, start: number, end: number): { name: string; bytes: Buffer }[] {
  const text = raw.toString('latin1', start, end);
  const lines: { name: string; bytes: Buffer }[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (/^[ \t]/.test(line) && lines.length) {
      const last = lines[lines.length - 1];
      last.bytes = Buffer.concat([last.bytes, Buffer.from(line, 'latin1')]);
    } else if (line.trim()) {
      lines.push({ name: line.slice(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(), bytes: Buffer.from(line, 'latin1') });
    }
  }
  return lines;
}

/** The bytes of a section of a message, or null when the part does not exist. */
export function sectionBytes(raw: Buffer, root: MimePart | null, section: Section): Buffer | null {
  let part: MimePart;
  if (!section.path.length) {
    if (section.kind === '' ) return raw;
    part = root!;
  } else {
    const found = findPart(root!, section.path);
    if (!found) return null;
    part = found;
    if (section.kind === '') return raw.subarray(part.bodyStart, part.bodyEnd);
    if (section.kind === 'MIME') return raw.subarray(part.headerStart, part.bodyStart);
    // HEADER and TEXT of a part apply to the message it encapsulates.
    if (!part.message) return null;
    part = part.message.body;
  }
  if (section.kind === 'TEXT') return raw.subarray(part.bodyStart, part.bodyEnd);
  if (section.kind === 'HEADER') return raw.subarray(part.headerStart, part.bodyStart);
  const not = section.kind === 'HEADER.FIELDS.NOT';
  const picked = headerLines(raw, part.headerStart, part.bodyStart).filter((l) => section.fields.includes(l.name) !== not);
  return Buffer.concat([...picked.map((l) => l.bytes), Buffer.from('\r\n')]);
}

/** Whether answering this section needs the MIME structure (anything but the whole message). */
export function needsStructure(section: Section): boolean {
  return section.path.length > 0 || section.kind !== '';
}

export function applyPartial(bytes: Buffer, partial: Section['partial']): Buffer {
  if (!partial) return bytes;
  const { start, length } = partial;
  return start >= bytes.length ? Buffer.alloc(0) : bytes.subarray(start, start + length);
}
