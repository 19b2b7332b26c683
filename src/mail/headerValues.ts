// Reading the header fields of a MIME block and decoding their RFC 2047 words: shared by the
// message summary, JMAP's header forms and IMAP SEARCH.
import libmime from 'libmime';

export interface RawHeader {
  name: string;
  /** The bytes after the colon up to the line end, folding kept, read as UTF-8 (RFC 6532). */
  value: string;
}

/** The header fields of the block raw[start, end) in order, names as written. */
export function readHeaders(raw: Buffer, start: number, end: number): RawHeader[] {
  const text = raw.toString('utf8', start, end);
  const fields: RawHeader[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line === '\r\n' || line === '\n') break;
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1].value += line;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1) });
    }
  }
  for (const f of fields) f.value = f.value.replace(/\r?\n$/, '');
  return fields;
}

/** A header value as one line: each fold a single space, trimmed (as the stored summaries have always read them). */
export const headerValue = (value: string) => value.replace(/(?:\r?\n|\r)[ \t]*/g, ' ').trim();

/** The first field named `name` (lower case), as one line. */
export function firstHeader(headers: RawHeader[], name: string): string | undefined {
  const found = headers.find((h) => h.name.toLowerCase() === name);
  return found ? headerValue(found.value) : undefined;
}

export const allHeaders = (headers: RawHeader[], name: string) => headers.filter((h) => h.name.toLowerCase() === name).map((h) => headerValue(h.value));

/** RFC 2047 encoded words decoded (charsets such as GBK, GB18030, Big5 too); a value they break stays as it is. */
export function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
