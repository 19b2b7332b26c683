// RFC 8621 §4.1.4: a message's body parts (bodyStructure), the textBody / htmlBody / attachments
// lists and the decoded text of parts (bodyValues), from src/mail/structure.ts's MIME tree.
import libmime from 'libmime';
import { decodeText } from '../../mail/charset.ts';
import { readHeaders, type RawHeader } from '../../mail/headerValues.ts';
import type { MimePart } from '../../mail/structure.ts';
import { partBody } from '../../mail/transferEncoding.ts';

export interface BodyPart {
  partId: string | null;
  blobId: string | null;
  size: number;
  headers: RawHeader[];
  name: string | null;
  type: string;
  charset: string | null;
  disposition: string | null;
  cid: string | null;
  language: string[] | null;
  location: string | null;
  subParts: BodyPart[] | null;
  /** Not a JMAP property: where the part's bytes are. */
  mime: MimePart;
}

/** A part's blob: the message's blob and the part's section path (`abcd…_2-1`). */
export const partBlobId = (messageBlob: string, partId: string) => `${messageBlob}_${partId.replace(/\./g, '-')}`;
export function parsePartBlobId(blobId: string): { messageBlob: string; section: number[] } | null {
  const m = /^([0-9a-f]{64})_([1-9][0-9]*(?:-[1-9][0-9]*)*)$/.exec(blobId);
  return m ? { messageBlob: m[1], section: m[2].split('-').map(Number) } : null;
}

const param = (params: [string, string][], name: string) => params.find(([k]) => k.toLowerCase() === name)?.[1];

/** A filename from Content-Disposition or Content-Type, RFC 2231 continuations and RFC 2047 words decoded. */
function fileName(part: MimePart, raw: Buffer): string | null {
  const headers = readHeaders(raw, part.headerStart, part.bodyStart);
  for (const [header, key] of [['content-disposition', 'filename'], ['content-type', 'name']] as const) {
    const h = headers.find((x) => x.name.toLowerCase() === header);
    if (!h) continue;
    try {
      const parsed = libmime.parseHeaderValue(h.value.replace(/\r?\n[ \t]/g, ' '));
      const value = parsed.params[key];
      if (value) return libmime.decodeWords(value);
    } catch {
      // A broken parameter is no name.
    }
  }
  return null;
}

export function bodyStructure(raw: Buffer, root: MimePart, messageBlob: string): BodyPart {
  const build = (part: MimePart, path: number[]): BodyPart => {
    const type = `${part.type}/${part.subtype}`;
    const multipart = part.type === 'multipart';
    const partId = multipart ? null : path.length ? path.join('.') : '1';
    return {
      partId,
      blobId: partId === null ? null : partBlobId(messageBlob, partId),
      size: multipart ? 0 : partBody(raw, part).length,
      headers: readHeaders(raw, part.headerStart, part.bodyStart),
      name: fileName(part, raw),
      type,
      charset: part.type === 'text' ? (param(part.params, 'charset') ?? 'us-ascii') : null,
      disposition: part.disposition?.type ?? null,
      cid: part.id ? part.id.replace(/^\s*<|>\s*$/g, '') : null,
      language: part.language,
      location: part.location,
      subParts: multipart ? part.parts.map((p, i) => build(p, [...path, i + 1])) : null,
      mime: part,
    };
  };
  return build(root, []);
}

const inlineMedia = (type: string) => /^(image|audio|video)\//.test(type);

/** The RFC's algorithm (§4.1.4) choosing the parts to show as text, as HTML, and as attachments. */
export function bodyLists(root: BodyPart): { textBody: BodyPart[]; htmlBody: BodyPart[]; attachments: BodyPart[] } {
  const textBody: BodyPart[] = [];
  const htmlBody: BodyPart[] = [];
  const attachments: BodyPart[] = [];
  const walk = (parts: BodyPart[], multipartType: string, inAlternative: boolean, text: BodyPart[] | null, html: BodyPart[] | null) => {
    const textLength = text ? text.length : -1;
    const htmlLength = html ? html.length : -1;
    parts.forEach((part, i) => {
      const isInline =
        part.disposition !== 'attachment' &&
        (part.type === 'text/plain' || part.type === 'text/html' || inlineMedia(part.type)) &&
        (i === 0 || (multipartType !== 'related' && (inlineMedia(part.type) || !part.name)));
      if (part.subParts) {
        const sub = part.type.split('/')[1];
        walk(part.subParts, sub, inAlternative || sub === 'alternative', text, html);
      } else if (isInline) {
        if (multipartType === 'alternative') {
          if (part.type === 'text/plain') text?.push(part);
          else if (part.type === 'text/html') html?.push(part);
          else attachments.push(part);
          return;
        }
        if (inAlternative) {
          if (part.type === 'text/plain') html = null;
          if (part.type === 'text/html') text = null;
        }
        text?.push(part);
        html?.push(part);
        if ((!text || !html) && inlineMedia(part.type)) attachments.push(part);
      } else {
        attachments.push(part);
      }
    });
    if (multipartType === 'alternative' && text && html) {
      if (textLength === text.length && htmlLength !== html.length) text.push(...html.slice(htmlLength));
      if (htmlLength === html.length && textLength !== text.length) html.push(...text.slice(textLength));
    }
  };
  walk([root], 'mixed', false, textBody, htmlBody);
  return { textBody, htmlBody, attachments };
}

/** A bodyValue (§4.1.4), cut to `maxBytes` of UTF-8 without splitting a character. */
export function bodyValue(raw: Buffer, part: BodyPart, maxBytes: number) {
  const decoded = decodeText(partBody(raw, part.mime), part.charset);
  const value = decoded.value.replace(/\r\n/g, '\n');
  const problem = decoded.problem;
  const bytes = Buffer.from(value);
  if (maxBytes <= 0 || bytes.length <= maxBytes) return { value, isEncodingProblem: problem, isTruncated: false };
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return { value: bytes.subarray(0, cut).toString('utf8'), isEncodingProblem: problem, isTruncated: true };
}
