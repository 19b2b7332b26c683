// RFC 8621 §4.6 Email/set create: the RFC 5322 message built from the JMAP properties.
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { SetFailure } from './errors.ts';
import { readBlob } from './blobs.ts';
import { headerProperty } from './headers.ts';

const address = z.object({ name: z.string().nullable().optional(), email: z.string().min(3).max(320) });
const addresses = z.array(address).max(500).nullable().optional();
const textPart = z.object({ partId: z.string(), type: z.enum(['text/plain', 'text/html']).optional() }).passthrough();
const attachment = z.object({ blobId: z.string(), type: z.string().max(200).nullable().optional(), name: z.string().max(255).nullable().optional(), disposition: z.string().nullable().optional(), cid: z.string().max(255).nullable().optional() }).passthrough();

export const createSchema = z
  .object({
    mailboxIds: z.record(z.string(), z.literal(true)),
    keywords: z.record(z.string(), z.literal(true)).optional(),
    receivedAt: z.string().optional(),
    from: addresses,
    sender: addresses,
    to: addresses,
    cc: addresses,
    bcc: addresses,
    replyTo: addresses,
    subject: z.string().max(1000).nullable().optional(),
    sentAt: z.string().nullable().optional(),
    messageId: z.array(z.string()).max(1).nullable().optional(),
    inReplyTo: z.array(z.string()).nullable().optional(),
    references: z.array(z.string()).nullable().optional(),
    textBody: z.array(textPart).max(1).optional(),
    htmlBody: z.array(textPart).max(1).optional(),
    attachments: z.array(attachment).max(100).optional(),
    bodyValues: z.record(z.string(), z.object({ value: z.string() }).passthrough()).optional(),
  })
  .catchall(z.unknown());

export type EmailCreate = z.infer<typeof createSchema>;

const toAddresses = (list: EmailCreate['to']) => (list ? list.map((a) => ({ name: a.name ?? '', address: a.email })) : undefined);
const ids = (list: string[] | null | undefined) => (list ? list.map((i) => `<${i}>`).join(' ') : undefined);

function bodyText(e: EmailCreate, list: EmailCreate['textBody']): string | undefined {
  const part = list?.[0];
  if (!part) return undefined;
  const value = e.bodyValues?.[part.partId]?.value;
  if (value === undefined) throw new SetFailure('invalidProperties', `no bodyValue for part ${part.partId.slice(0, 50)}`, ['bodyValues']);
  return value;
}

/** The message bytes of a new Email; attachments come from blobs the account may read. */
export async function composeEmail(ctx: Context, accountId: string, e: EmailCreate): Promise<Buffer> {
  const extraHeaders: Record<string, string> = {};
  for (const [key, value] of Object.entries(e)) {
    const header = headerProperty(key);
    if (!header) continue;
    if (header.form !== 'Raw' && header.form !== 'Text' || typeof value !== 'string' || /[\r\n]/.test(value)) throw new SetFailure('invalidProperties', 'header properties must be single-line text', [key]);
    extraHeaders[header.name] = value;
  }
  const unknown = Object.keys(e).filter((k) => !(k in createSchema.shape) && !headerProperty(k));
  if (unknown.length) throw new SetFailure('invalidProperties', 'these properties cannot be set', unknown);
  const attachments = [];
  for (const a of e.attachments ?? []) {
    const content = await readBlob(ctx, accountId, a.blobId);
    if (!content) throw new SetFailure('blobNotFound', a.blobId.slice(0, 100), ['attachments']);
    attachments.push({ content, filename: a.name ?? undefined, contentType: a.type ?? undefined, cid: a.cid ?? undefined, contentDisposition: a.disposition === 'inline' ? ('inline' as const) : ('attachment' as const) });
  }
  const composer = new MailComposer({
    from: toAddresses(e.from)?.[0],
    sender: toAddresses(e.sender)?.[0],
    to: toAddresses(e.to),
    cc: toAddresses(e.cc),
    bcc: toAddresses(e.bcc),
    replyTo: toAddresses(e.replyTo)?.[0],
    subject: e.subject ?? undefined,
    date: e.sentAt ? new Date(e.sentAt) : ctx.clock.now(),
    messageId: ids(e.messageId),
    inReplyTo: ids(e.inReplyTo),
    references: ids(e.references),
    text: bodyText(e, e.textBody),
    html: bodyText(e, e.htmlBody),
    attachments,
    headers: extraHeaders,
  });
  const node = composer.compile();
  // A draft keeps its Bcc; submission takes it out of what is sent.
  node.keepBcc = true;
  return node.build();
}
