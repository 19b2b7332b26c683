import { simpleParser, type AddressObject } from 'mailparser';
import { indexedBodyChars } from './searchTokens.ts';
import { messageIds } from './threading.ts';
import type { MessageSummary } from './types.ts';

const previewLength = 200;
// PostgreSQL text refuses NUL; line breaks have no place in a one-line field.
const clean = (s: string, max: number) => s.replace(/[\0-\x1f\x7f]+/g, ' ').trim().slice(0, max);
const headerText = (a: AddressObject | AddressObject[] | undefined) =>
  clean(Array.isArray(a) ? a.map((x) => x.text).join(', ') : a?.text ?? '', 2000);

const empty: MessageSummary = { subject: '', from: '', to: '', cc: '', sentDate: null, messageId: null, references: [], hasAttachments: false, preview: '' };

const idList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).flatMap((x) => messageIds(x));

/**
 * The header fields and text preview that message lists show, decoded (RFC 2047/2231, GBK, GB18030,
 * Big5...). Mail that cannot be parsed is still stored, with an empty summary.
 */
export async function summarize(raw: Buffer): Promise<MessageSummary> {
  try {
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000, checksumAlgo: false });
    // The index cuts words itself: only the preview needs its white space made single spaces.
    const bodyText = (parsed.text ?? '').slice(0, indexedBodyChars);
    const text = clean(bodyText.trimStart().slice(0, 16_000).replace(/\s+/g, ' '), previewLength * 4);
    const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
    return {
      subject: clean(parsed.subject ?? '', 1000),
      from: headerText(parsed.from),
      to: headerText(parsed.to),
      cc: headerText(parsed.cc),
      sentDate: date,
      messageId: parsed.messageId ? clean(parsed.messageId, 998) : null,
      references: [...new Set([...idList(parsed.references), ...idList(parsed.inReplyTo)])].slice(-50),
      hasAttachments: parsed.attachments.some((a) => a.contentDisposition === 'attachment' || !a.related),
      preview: [...text].slice(0, previewLength).join(''),
      bodyText,
      bcc: headerText(parsed.bcc),
    };
  } catch {
    return empty;
  }
}
