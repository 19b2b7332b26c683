// RFC 8621 §4.2 Email/get and §4.9 Email/parse: Email objects from the rows (list fields) and,
// only when asked for, from the parsed message.
import { z } from 'zod';
import addressparser from 'nodemailer/lib/addressparser';
import type { Context } from '../../../context.ts';
import { memo } from '../../../memo.ts';
import type { EmailView } from '../../../mail/emails.ts';
import { readHeaders } from '../../../mail/headerValues.ts';
import { parseStructure } from '../../../mail/structure.ts';
import { blobIdOfEmail, emailIdOf } from '../../../store/mailChanges.ts';
import { bodyLists, bodyStructure, bodyValue, type BodyPart } from '../bodyParts.ts';
import { MethodError } from '../errors.ts';
import { asAddresses, asDate, asMessageIds, asText, headerProperty, headerValue, utcDate } from '../headers.ts';
import { keywordsOf } from '../keywords.ts';
import type { Method } from '../services.ts';
import { currentState, getArgs, wantedIds } from '../standard.ts';

export const defaultProperties = ['id', 'blobId', 'threadId', 'mailboxIds', 'keywords', 'size', 'receivedAt', 'messageId', 'inReplyTo', 'references', 'sender', 'from', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'sentAt', 'hasAttachment', 'preview', 'bodyValues', 'textBody', 'htmlBody', 'attachments'];
const rowProperties = new Set(['id', 'blobId', 'threadId', 'mailboxIds', 'keywords', 'size', 'receivedAt', 'hasAttachment', 'preview']);
const parsedProperties = new Set([...defaultProperties.filter((p) => !rowProperties.has(p)), 'headers', 'bodyStructure']);
/** What the list fields cached at delivery answer without reading the message (message lists). */
const summaryProperties = new Set(['subject', 'from', 'to', 'cc', 'sentAt']);
export const defaultBodyProperties = ['partId', 'blobId', 'size', 'name', 'type', 'charset', 'disposition', 'cid', 'language', 'location'];
const bodyPropertyNames = [...defaultBodyProperties, 'headers', 'subParts'];

export const bodyOptions = z.object({
  bodyProperties: z.array(z.string()).nullable().optional(),
  fetchTextBodyValues: z.boolean().optional(),
  fetchHTMLBodyValues: z.boolean().optional(),
  fetchAllBodyValues: z.boolean().optional(),
  maxBodyValueBytes: z.number().int().min(0).optional(),
});
type BodyOptions = z.infer<typeof bodyOptions>;

export function checkProperties(properties: string[], bodyProperties: string[]) {
  const bad = properties.find((p) => !rowProperties.has(p) && !parsedProperties.has(p) && !headerProperty(p));
  if (bad) throw new MethodError('invalidArguments', `unknown property ${bad.slice(0, 100)}`);
  const badBody = bodyProperties.find((p) => !bodyPropertyNames.includes(p) && !headerProperty(p));
  if (badBody) throw new MethodError('invalidArguments', `unknown body property ${badBody.slice(0, 100)}`);
}

// A list shows the same few senders again and again: each address field is parsed once, and each answer gets its own copy.
const parsedAddresses = memo(2000, (text) => addressparser(text).flatMap((a) => (a.group ? a.group : [a])).map((a) => ({ name: a.name || null, email: a.address ?? '' })));
const summaryAddresses = (text: string) => (text ? parsedAddresses(text).map((a) => ({ ...a })) : null);

function renderPart(part: BodyPart, properties: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const header = headerProperty(p);
    if (header) out[p] = headerValue(part.headers, header);
    else if (p === 'subParts') out[p] = part.subParts ? part.subParts.map((s) => renderPart(s, properties)) : null;
    else out[p] = part[p as keyof BodyPart];
  }
  return out;
}

/** The properties of a parsed message (header fields and body), for Email/get and Email/parse. */
export function parsedFields(raw: Buffer, blobId: string, properties: string[], options: BodyOptions): Record<string, unknown> {
  const structure = parseStructure(raw);
  const headers = readHeaders(raw, 0, structure.body.bodyStart);
  const last = (name: string) => headers.filter((h) => h.name.toLowerCase() === name).at(-1)?.value;
  const addresses = (name: string) => {
    const v = last(name);
    return v === undefined ? null : asAddresses(v);
  };
  const root = bodyStructure(raw, structure.body, blobId);
  const lists = bodyLists(root);
  const bodyProps = options.bodyProperties ?? defaultBodyProperties;
  const max = options.maxBodyValueBytes ?? 0;
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const header = headerProperty(p);
    if (header) {
      out[p] = headerValue(headers, header);
      continue;
    }
    switch (p) {
      case 'headers':
        out.headers = headers;
        break;
      case 'messageId':
      case 'inReplyTo':
      case 'references': {
        const v = last(p === 'messageId' ? 'message-id' : p === 'inReplyTo' ? 'in-reply-to' : 'references');
        out[p] = v === undefined ? null : asMessageIds(v);
        break;
      }
      case 'sender':
      case 'from':
      case 'to':
      case 'cc':
      case 'bcc':
        out[p] = addresses(p);
        break;
      case 'replyTo':
        out.replyTo = addresses('reply-to');
        break;
      case 'subject': {
        const v = last('subject');
        out.subject = v === undefined ? null : asText(v);
        break;
      }
      case 'sentAt': {
        const v = last('date');
        out.sentAt = v === undefined ? null : asDate(v);
        break;
      }
      case 'bodyStructure':
        out.bodyStructure = renderPart(root, bodyProps);
        break;
      case 'textBody':
      case 'htmlBody':
      case 'attachments':
        out[p] = lists[p].map((part) => renderPart(part, bodyProps));
        break;
      case 'bodyValues': {
        const values: Record<string, unknown> = {};
        const pick = [
          ...(options.fetchTextBodyValues || options.fetchAllBodyValues ? lists.textBody : []),
          ...(options.fetchHTMLBodyValues || options.fetchAllBodyValues ? lists.htmlBody : []),
          ...(options.fetchAllBodyValues ? lists.attachments : []),
        ];
        for (const part of pick) if (part.type.startsWith('text/') && part.partId) values[part.partId] ??= bodyValue(raw, part, max);
        out.bodyValues = values;
        break;
      }
    }
  }
  return out;
}

const args = getArgs.extend(bodyOptions.shape);

async function render(ctx: Context, email: EmailView, properties: string[], options: BodyOptions) {
  const row = email.first;
  const out: Record<string, unknown> = {};
  const parse = properties.filter((p) => !rowProperties.has(p) && !summaryProperties.has(p));
  if (parse.length) Object.assign(out, parsedFields(await ctx.mail.read(row), email.blobId, [...new Set([...parse, ...properties.filter((p) => summaryProperties.has(p))])], options));
  for (const p of properties) {
    if (p in out) continue;
    switch (p) {
      case 'id':
        out.id = emailIdOf(email.blobId);
        break;
      case 'blobId':
        out.blobId = email.blobId;
        break;
      case 'threadId':
        out.threadId = email.threadId;
        break;
      case 'mailboxIds':
        out.mailboxIds = Object.fromEntries(email.mailboxIds.map((m) => [m, true]));
        break;
      case 'keywords':
        out.keywords = keywordsOf(email.flags);
        break;
      case 'size':
        out.size = row.size;
        break;
      case 'receivedAt':
        out.receivedAt = utcDate(row.internalDate);
        break;
      case 'hasAttachment':
        out.hasAttachment = row.hasAttachments;
        break;
      case 'preview':
        out.preview = row.preview;
        break;
      case 'subject':
        out.subject = row.subject;
        break;
      case 'sentAt':
        out.sentAt = row.sentDate ? utcDate(row.sentDate) : null;
        break;
      case 'from':
      case 'to':
      case 'cc':
        out[p] = summaryAddresses(row[p]);
        break;
    }
  }
  return out;
}

const get: Method = {
  capability: 'urn:ietf:params:jmap:mail',
  async run(raw, call, { ctx, account }) {
    const a = args.parse(raw);
    const properties = [...new Set(['id', ...(a.properties ?? defaultProperties)])];
    checkProperties(properties, a.bodyProperties ?? []);
    const want = wantedIds(a.ids, call);
    if (!want) throw new MethodError('requestTooLarge', 'ask for Email ids (from Email/query)');
    const state = await currentState(ctx, account.id, 'Email');
    const blobs = want.resolved.map((r) => (r ? blobIdOfEmail(r) : null));
    const emails = await ctx.emails.get(account.id, blobs.filter((b): b is string => b !== null));
    const list: Record<string, unknown>[] = [];
    const notFound: string[] = [];
    for (let i = 0; i < want.asked.length; i++) {
      const email = blobs[i] ? emails.get(blobs[i]!) : undefined;
      if (email) list.push(await render(ctx, email, properties, a));
      else notFound.push(want.asked[i]);
    }
    return [['Email/get', { accountId: account.id, state, list, notFound }]];
  },
};

export const emailGetMethods: Record<string, Method> = { 'Email/get': get };
