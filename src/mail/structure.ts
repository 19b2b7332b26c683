// The MIME structure of a raw message with byte offsets, and its envelope: what IMAP FETCH needs for
// ENVELOPE, BODYSTRUCTURE and BODY[section]. Plain JSON, so a store may cache it per message.
// Header values are kept as the message has them (RFC 2047 words, RFC 2231 parameters, charset
// names such as GBK or GB18030 pass through); clients decode them.
import addressparser from 'nodemailer/lib/addressparser';

export interface EnvelopeAddress {
  name: string | null;
  /** The obsolete source route ("@relay:" in <@relay:user@host>), RFC 3501's adl. */
  route?: string;
  mailbox: string | null;
  host: string | null;
}

export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export type Params = [string, string][];

export interface MimePart {
  headerStart: number;
  bodyStart: number;
  bodyEnd: number;
  type: string;
  subtype: string;
  params: Params;
  id: string | null;
  description: string | null;
  encoding: string;
  md5: string | null;
  disposition: { type: string; params: Params } | null;
  language: string[] | null;
  location: string | null;
  lines: number;
  parts: MimePart[];
  /** For message/rfc822: the encapsulated message (its root part's header is the message header). */
  message: { envelope: Envelope; body: MimePart } | null;
}

export interface MessageStructure {
  envelope: Envelope;
  body: MimePart;
}

export interface HeaderField {
  name: string;
  /** Unfolded value as bytes read in latin1 (one char per byte). */
  value: string;
}

const maxDepth = 20;

/** Offset just past the blank line ending the header block starting at `start`, or `end`. */
function headerEnd(raw: Buffer, start: number, end: number): number {
  if (raw[start] === 0x0a) return start + 1;
  if (raw[start] === 0x0d && raw[start + 1] === 0x0a) return start + 2;
  let pos = start;
  while (pos < end) {
    const lf = raw.indexOf(0x0a, pos);
    if (lf < 0 || lf >= end) return end;
    const next = lf + 1;
    if (raw[next] === 0x0a) return next + 1;
    if (raw[next] === 0x0d && raw[next + 1] === 0x0a) return next + 2;
    pos = next;
  }
  return end;
}

export function parseHeaderFields(text: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1].value += ' ' + line.trim();
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
    }
  }
  return fields;
}

/** Splits `value; a=b; c="d"` into the value and its parameters, quotes removed. */
function parseParams(header: string): { value: string; params: Params } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted && i + 1 < header.length) current += header[++i];
    else if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const params: Params = [];
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq > 0) params.push([p.slice(0, eq).trim(), p.slice(eq + 1).trim()]);
  }
  return { value: parts[0].trim(), params };
}

/** RFC 822 comments out of a MIME token value: `multipart/alternative (generated)`. */
const withoutComments = (value: string) => (value.includes('(') ? value.replace(/\([^()]*\)/g, '').trim() : value);

function toUtf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** An address header as ENVELOPE lists it: groups open with (NIL NIL name NIL) and close with all NIL. */
export function addresses(value: string | undefined): EnvelopeAddress[] | null {
  if (!value) return null;
  const out: EnvelopeAddress[] = [];
  const routes = new Map<string, string>();
  for (const m of toUtf8(value).matchAll(/<\s*(@[^:<>]*):\s*([^<>\s]+)\s*>/g)) routes.set(m[2], m[1]);
  const one = (name: string, address: string) => {
    const at = address.lastIndexOf('@');
    out.push({
      name: name || null,
      ...(routes.has(address) ? { route: routes.get(address) } : {}),
      mailbox: at < 0 ? address : address.slice(0, at),
      host: at < 0 ? 'MISSING_DOMAIN' : address.slice(at + 1),
    });
  };
  for (const entry of addressparser(toUtf8(value))) {
    if (entry.group) {
      out.push({ name: null, mailbox: entry.name || null, host: null });
      for (const member of entry.group) if (!member.group && member.address) one(member.name, member.address);
      out.push({ name: null, mailbox: null, host: null });
    } else if (entry.address || entry.name) {
      one(entry.name, entry.address);
    }
  }
  return out.length ? out : null;
}

function envelopeOf(fields: HeaderField[]): Envelope {
  const get = (name: string) => fields.find((f) => f.name === name)?.value;
  const text = (name: string) => {
    const v = get(name);
    return v === undefined ? null : toUtf8(v);
  };
  const from = addresses(get('from'));
  return {
    date: text('date'),
    subject: text('subject'),
    from,
    sender: addresses(get('sender')) ?? from,
    replyTo: addresses(get('reply-to')) ?? from,
    to: addresses(get('to')),
    cc: addresses(get('cc')),
    bcc: addresses(get('bcc')),
    inReplyTo: text('in-reply-to'),
    messageId: text('message-id'),
  };
}

function countLines(raw: Buffer, start: number, end: number): number {
  let n = 0;
  for (let pos = raw.indexOf(0x0a, start); pos >= 0 && pos < end; pos = raw.indexOf(0x0a, pos + 1)) n++;
  if (end > start && raw[end - 1] !== 0x0a) n++;
  return n;
}

/** Body ranges of the parts of a multipart body: between "--boundary" delimiter lines. */
function splitMultipart(raw: Buffer, start: number, end: number, boundary: string): [number, number][] {
  const delimiter = Buffer.from('--' + boundary, 'latin1');
  const ranges: [number, number][] = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const found = raw.indexOf(delimiter, pos);
    if (found < 0 || found >= end) break;
    const atLineStart = found === start || raw[found - 1] === 0x0a;
    // RFC 2046 §5.1.1: after the boundary only "--" (the close) and blanks; "--b1x" is no delimiter of "b1".
    let after = found + delimiter.length;
    const isClose = raw[after] === 0x2d && raw[after + 1] === 0x2d;
    if (isClose) after += 2;
    while (after < end && (raw[after] === 0x20 || raw[after] === 0x09)) after++;
    while (after < end && raw[after] === 0x0d) after++;
    if (!atLineStart || (after < end && raw[after] !== 0x0a)) {
      pos = found + 1;
      continue;
    }
    let lineEnd = raw.indexOf(0x0a, found);
    lineEnd = lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
    if (partStart >= 0) {
      // The CRLF before the delimiter belongs to the delimiter.
      let partEnd = found;
      if (partEnd > partStart && raw[partEnd - 1] === 0x0a) partEnd--;
      if (partEnd > partStart && raw[partEnd - 1] === 0x0d) partEnd--;
      ranges.push([partStart, partEnd]);
    }
    if (isClose) return ranges;
    partStart = lineEnd;
    pos = lineEnd;
  }
  if (partStart >= 0 && partStart < end) ranges.push([partStart, end]);
  return ranges;
}

function parsePart(raw: Buffer, start: number, end: number, defaultType: string, depth: number): { part: MimePart; fields: HeaderField[] } {
  const bodyStart = headerEnd(raw, start, end);
  const fields = parseHeaderFields(raw.toString('latin1', start, bodyStart));
  const get = (name: string) => fields.find((f) => f.name === name)?.value;
  const ct = parseParams(get('content-type') ?? '');
  let [type, subtype] = withoutComments(ct.value).toLowerCase().split('/').map((s) => s?.trim());
  let params = ct.params;
  if (!type || !subtype) {
    [type, subtype] = defaultType.split('/');
    params = type === 'text' ? [['charset', 'us-ascii']] : [];
  }
  const disposition = get('content-disposition');
  const dispParsed = disposition ? parseParams(disposition) : null;
  const language = get('content-language');
  const part: MimePart = {
    headerStart: start,
    bodyStart,
    bodyEnd: end,
    type,
    subtype,
    params,
    id: get('content-id') ?? null,
    description: get('content-description') ?? null,
    encoding: withoutComments(get('content-transfer-encoding') ?? '7bit').toLowerCase(),
    md5: get('content-md5') ?? null,
    disposition: dispParsed ? { type: withoutComments(dispParsed.value).toLowerCase(), params: dispParsed.params } : null,
    language: language ? language.split(/[\s,]+/).filter(Boolean) : null,
    location: get('content-location') ?? null,
    lines: 0,
    parts: [],
    message: null,
  };
  const boundary = params.find(([k]) => k.toLowerCase() === 'boundary')?.[1];
  if (type === 'multipart' && boundary && depth < maxDepth) {
    const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    part.parts = splitMultipart(raw, bodyStart, end, boundary).map(([s, e]) => parsePart(raw, s, e, childDefault, depth + 1).part);
  } else if (type === 'message' && subtype === 'rfc822' && depth < maxDepth) {
    const inner = parsePart(raw, bodyStart, end, 'text/plain', depth + 1);
    part.message = { envelope: envelopeOf(inner.fields), body: inner.part };
    part.lines = countLines(raw, bodyStart, end);
  } else if (type === 'text') {
    part.lines = countLines(raw, bodyStart, end);
  }
  return { part, fields };
}

export function parseStructure(raw: Buffer): MessageStructure {
  const { part, fields } = parsePart(raw, 0, raw.length, 'text/plain', 0);
  return { envelope: envelopeOf(fields), body: part };
}

/** Bumped when MessageStructure changes shape, so cached copies of the old shape are recomputed. */
const structureVersion = 3;

/** The structure as stored with a message (computed once, at delivery). */
export function structureJson(structure: MessageStructure): string {
  return JSON.stringify({ v: structureVersion, s: structure });
}

/** A stored structure, or null when missing or of an older shape. */
export function storedStructure(json: string | null): MessageStructure | null {
  if (!json) return null;
  const cached = JSON.parse(json) as { v?: number; s?: MessageStructure };
  return cached.v === structureVersion && cached.s ? cached.s : null;
}

/** The part a section path ("1.2") names: in a non-multipart body, part 1 is the body itself. */
export function findPart(root: MimePart, path: number[]): MimePart | null {
  let current = root;
  for (let i = 0; i < path.length; i++) {
    const n = path[i];
    let container = current;
    if (i > 0 && current.message) container = current.message.body;
    if (container.type === 'multipart') {
      const child = container.parts[n - 1];
      if (!child) return null;
      current = child;
    } else if (n === 1) {
      current = container;
    } else {
      return null;
    }
  }
  return current;
}
