import { addressText } from './addressText.ts';
import { bodyContent } from './bodyContent.ts';
import { allHeaders, decodeWords, firstHeader, readHeaders } from './headerValues.ts';
import { indexedBodyChars } from './searchTokens.ts';
import { parseStructure, type MessageStructure, type MimePart } from './structure.ts';
import { messageIds } from './threading.ts';
import type { MessageSummary } from './types.ts';

const previewLength = 200;
/** The most of the text (after its leading white space) that a preview is read from. */
const previewWindow = 16_000;
// PostgreSQL text refuses NUL; line breaks have no place in a one-line field.
const clean = (s: string, max: number) => s.replace(/[\0-\x1f\x7f]+/g, ' ').trim().slice(0, max);

/**
 * The first 200 characters of the text with its white space made single spaces, read from the first
 * 16 000 characters. A shorter window gives the same characters once it yields more than needed:
 * only its last one can differ (a blank run or a character cut in two).
 */
function previewOf(bodyText: string): string {
  const text = bodyText.trimStart();
  const needed = previewLength * 4;
  for (const window of [4 * needed, previewWindow]) {
    const cleaned = clean(text.slice(0, window).replace(/\s+/g, ' '), needed + 2);
    if (cleaned.length === needed + 2 || window >= previewWindow || window >= text.length) return [...cleaned.slice(0, needed)].slice(0, previewLength).join('');
  }
  return '';
}

const empty: MessageSummary = { subject: '', from: '', to: '', cc: '', sentDate: null, messageId: null, references: [], hasAttachments: false, preview: '' };

/** A Message-ID as written, angle brackets added where they are missing; '' for none. */
const bracketed = (id: string) => (id ? `${id.startsWith('<') ? '' : '<'}${id}${id.endsWith('>') ? '' : '>'}` : '');

/**
 * The text (as much as the index reads) and whether there are attachments. With `previewOnly`, the
 * start of the text may do: it holds the preview's window after any leading white space.
 */
function contentOf(raw: Buffer, root: MimePart, previewOnly: boolean): { text: string; hasAttachments: boolean } {
  const start = previewOnly ? bodyContent(raw, root, previewWindow + 64) : null;
  const enough = start && (!start.cut || start.text.slice(0, indexedBodyChars).trimStart().length >= previewWindow);
  const content = enough ? start : bodyContent(raw, root);
  return { text: content.text.slice(0, indexedBodyChars), hasAttachments: content.hasAttachments };
}

/**
 * The header fields and text preview that message lists show, decoded (RFC 2047/2231, GBK, GB18030,
 * Big5...), from the message's MIME structure (parsed here unless given). Mail that cannot be
 * parsed is still stored, with an empty summary. With `previewOnly`, no bodyText (the index's) is
 * given, and only the start of the text is decoded.
 */
export function summarize(raw: Buffer, structure?: MessageStructure, previewOnly = false): MessageSummary {
  try {
    const root = (structure ?? parseStructure(raw)).body;
    const headers = readHeaders(raw, root.headerStart, root.bodyStart);
    const addresses = (name: string) => clean(allHeaders(headers, name).map(addressText).join(', '), 2000);
    const content = contentOf(raw, root, previewOnly);
    const date = new Date(firstHeader(headers, 'date') ?? '');
    const messageId = bracketed(decodeWords(firstHeader(headers, 'message-id') ?? ''));
    const references = allHeaders(headers, 'references').flatMap((v) => decodeWords(v).split(/\s+/).map(bracketed));
    const inReplyTo = bracketed(decodeWords(firstHeader(headers, 'in-reply-to') ?? ''));
    return {
      subject: clean(decodeWords(firstHeader(headers, 'subject') ?? ''), 1000),
      from: clean(addressText(firstHeader(headers, 'from') ?? ''), 2000),
      to: addresses('to'),
      cc: addresses('cc'),
      sentDate: Number.isNaN(date.getTime()) ? null : date,
      messageId: messageId ? clean(messageId, 998) : null,
      references: [...new Set([...references, inReplyTo].flatMap(messageIds))].slice(-50),
      hasAttachments: content.hasAttachments,
      preview: previewOf(content.text),
      bodyText: previewOnly ? undefined : content.text,
      bcc: addresses('bcc'),
    };
  } catch {
    return empty;
  }
}
