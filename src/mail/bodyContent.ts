// What a message says, read from its MIME structure (structure.ts): the text its text parts hold
// (HTML converted where it is the only rendering), the sources of its HTML parts, and whether it
// carries attachments. The parts are chosen as mailparser chose them, whose results the stored
// summaries and the search index were built with.
import { extname } from 'node:path';
import libmime from 'libmime';
import { addressText } from './addressText.ts';
import { decodeText } from './charset.ts';
import { allHeaders, decodeWords, firstHeader, readHeaders } from './headerValues.ts';
import { htmlText } from './htmlText.ts';
import type { MimePart } from './structure.ts';
import { partBody } from './transferEncoding.ts';

export interface BodyContent {
  /** The text parts' text, one after another ("\n" line ends); HTML converted where no text/plain stands beside it. */
  text: string;
  /** The HTML parts' decoded sources. */
  html: string;
  /** Whether a part is an attachment rather than inline content referenced by the HTML (multipart/related with a Content-ID). */
  hasAttachments: boolean;
  /** The text may be only the start of the whole (it reached the `textChars` asked for). */
  cut: boolean;
}

const textTypes = new Set(['text/plain', 'text/html', 'message/delivery-status']);
const param = (part: MimePart, name: string) => part.params.find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * The media type of a part. Where the header is missing or names no subtype, structure.ts gives the
 * RFC's default; a missing one is taken from the file name's extension, and one without a subtype
 * stays an unknown type, as mailparser had them.
 */
function mediaType(raw: Buffer, part: MimePart, root: boolean): string {
  const type = `${part.type}/${part.subtype}`;
  const defaulted = type === 'text/plain' && part.params.length === 1 && part.params[0][0] === 'charset' && part.params[0][1] === 'us-ascii';
  if (!defaulted) return type;
  const written = firstHeader(readHeaders(raw, part.headerStart, part.bodyStart), 'content-type');
  if (written !== undefined) return libmime.parseHeaderValue(written).value.toLowerCase().trim() || (root ? 'text/plain' : '');
  const filename = part.disposition?.params.find(([k]) => k.toLowerCase() === 'filename')?.[1];
  const extension = filename ? extname(filename).slice(1) : '';
  if (extension) return libmime.detectMimeType(extension);
  return part.disposition?.type === 'attachment' ? 'application/octet-stream' : 'text/plain';
}

/**
 * UTF-8 as text with "\n" line ends: the whole, or, when it is longer, the start of it with at least
 * `chars` characters, for which only the bytes that hold them are decoded.
 */
function utf8Text(bytes: Buffer, chars: number): string {
  for (let size = chars + (chars >> 3) + 64; size < bytes.length; size *= 4) {
    const start = bytes.subarray(0, size).toString('utf8').replace(/\r?\n/g, '\n');
    // Its last characters may not be the whole's: a character cut in two, a CR whose LF was cut off.
    if (start.length - 4 >= chars) return start.slice(0, start.length - 4);
  }
  return bytes.toString('utf8').replace(/\r?\n/g, '\n');
}

/** A text part's text: transfer encoding, format=flowed (RFC 3676), then charset undone; `chars` as for utf8Text. */
function partText(raw: Buffer, part: MimePart, type: string, chars = Infinity): string {
  let bytes = partBody(raw, part);
  if (type === 'text/plain' && param(part, 'format')?.trim().toLowerCase() === 'flowed') {
    const delSp = param(part, 'delsp')?.trim().toLowerCase() === 'yes';
    bytes = Buffer.from(libmime.decodeFlowed(bytes.toString('latin1'), delSp), 'latin1');
  }
  const charset = param(part, 'charset') || 'utf-8';
  const utf8 = ['ascii', 'usascii', 'utf8'].includes(charset.toLowerCase().replace(/[^a-z0-9]+/g, ''));
  return utf8 ? utf8Text(bytes, chars) : decodeText(bytes, charset).value.replace(/\r?\n/g, '\n');
}

/** The header lines a message shows above its text when it is forwarded inline (message/rfc822, disposition inline). */
function forwardedHeaders(raw: Buffer, part: MimePart): string {
  const headers = readHeaders(raw, part.headerStart, part.bodyStart);
  const lines: string[] = [];
  const from = firstHeader(headers, 'from');
  if (from !== undefined) lines.push(`From: ${addressText(from)}`);
  const subject = decodeWords(firstHeader(headers, 'subject') ?? '');
  if (subject) lines.push(`Subject: ${subject}`);
  const date = new Date(firstHeader(headers, 'date') ?? '');
  if (!Number.isNaN(date.getTime())) lines.push(`Date: ${date.toUTCString()}`);
  for (const [label, name] of [['To', 'to'], ['Cc', 'cc'], ['Bcc', 'bcc']]) {
    const last = allHeaders(headers, name).at(-1);
    if (last !== undefined) lines.push(`${label}: ${addressText(last)}`);
  }
  return `\n${lines.join('\n')}\n`;
}

type Piece = { kind: 'forwarded'; part: MimePart } | { kind: 'text' | 'html'; part: MimePart; type: string; alternative: boolean; root: boolean };

/**
 * With `textChars`, the text may end once it holds that many characters (it is then the start of
 * the whole text, and `cut`), and the HTML sources are left out: what a preview needs.
 */
export function bodyContent(raw: Buffer, root: MimePart, textChars = Infinity): BodyContent {
  const pieces: Piece[] = [];
  let hasText = false;
  let hasAttachments = false;
  const walk = (part: MimePart, isRoot: boolean, alternative: boolean, related: boolean) => {
    const type = mediaType(raw, part, isRoot);
    if (part.type === 'multipart') {
      for (const child of part.parts) walk(child, false, alternative || type === 'multipart/alternative', related || type === 'multipart/related');
      return;
    }
    const disposition = part.disposition?.type ?? '';
    if (type === 'message/rfc822' && part.message && disposition === 'inline' && ['7bit', '8bit', 'binary'].includes(part.encoding)) {
      pieces.push({ kind: 'forwarded', part: part.message.body });
      walk(part.message.body, false, alternative, related);
      return;
    }
    const shown = textTypes.has(type) && (disposition === '' || disposition === 'inline');
    if (!shown) {
      hasAttachments ||= disposition === 'attachment' || !(part.id && related);
      return;
    }
    if (type !== 'text/html') hasText = true;
    pieces.push({ kind: type === 'text/html' ? 'html' : 'text', part, type, alternative, root: isRoot });
  };
  walk(root, true, false, false);
  const text: string[] = [];
  const html: string[] = [];
  const sourcesToo = textChars === Infinity;
  let length = -1;
  const add = (t: string) => {
    text.push(t);
    length += t.length + 1;
  };
  for (const piece of pieces) {
    if (length >= textChars) break;
    if (piece.kind === 'forwarded') {
      if (hasText) add(forwardedHeaders(raw, piece.part));
      continue;
    }
    // HTML is read as text only where it is the message itself, or stands beside text outside an alternative.
    const asText = piece.kind === 'text' || (!piece.alternative && hasText) || (piece.root && !hasText);
    if (!asText && !sourcesToo) continue;
    const content = partText(raw, piece.part, piece.type, piece.kind === 'text' ? textChars - length - 1 : Infinity);
    if (!content) continue;
    if (piece.kind === 'text') add(content);
    else {
      if (asText) add(htmlText(content));
      html.push(content);
    }
  }
  return { text: text.join('\n'), html: html.join('<br/>\n'), hasAttachments, cut: length >= textChars };
}
