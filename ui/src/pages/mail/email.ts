// One message as the reader shows it, refetched when a push says the mail changed (flags set elsewhere).
import { useEffect, useState } from 'react';
import { jmap } from './jmap.ts';
import type { Address, Row } from './messageList.ts';
import { usePushVersion } from './push.ts';

export interface Part {
  partId: string | null;
  blobId: string | null;
  size: number;
  name: string | null;
  type: string;
  cid: string | null;
  disposition: string | null;
}

export interface FullEmail extends Row {
  blobId: string;
  cc: Address[] | null;
  bcc: Address[] | null;
  replyTo: Address[] | null;
  sentAt: string | null;
  messageId: string[] | null;
  inReplyTo: string[] | null;
  references: string[] | null;
  htmlBody: Part[];
  textBody: Part[];
  attachments: Part[];
  bodyValues: Record<string, { value: string }>;
  authResults: string[];
}

const authHeader = 'header:Authentication-Results:asText:all';
const properties = ['id', 'blobId', 'threadId', 'mailboxIds', 'keywords', 'from', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'preview', 'sentAt', 'receivedAt', 'hasAttachment', 'messageId', 'inReplyTo', 'references', 'htmlBody', 'textBody', 'attachments', 'bodyValues', authHeader];
const bodyProperties = ['partId', 'blobId', 'size', 'name', 'type', 'cid', 'disposition'];

export async function fetchEmail(id: string): Promise<FullEmail | null> {
  const [r] = await jmap([['Email/get', { ids: [id], properties, bodyProperties, fetchHTMLBodyValues: true, fetchTextBodyValues: true }]]);
  const e = r.list[0];
  return e ? { ...e, authResults: e[authHeader] ?? [] } : null;
}

/** The message `id` ('missing' once it is gone), kept current by push. */
export function useEmail(id: string | null): FullEmail | null | 'missing' {
  const version = usePushVersion();
  const [email, setEmail] = useState<FullEmail | null | 'missing'>(null);
  useEffect(() => {
    if (!id) return setEmail(null);
    let live = true;
    fetchEmail(id).then(
      (e) => live && setEmail(e ?? 'missing'),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [id, version]);
  return email && email !== 'missing' && email.id !== id ? null : email;
}

/** The body as the reader renders it: HTML parts as they are, text parts as text. */
export function bodyOf(email: FullEmail): { html: string | null; text: string } {
  const value = (p: Part) => (p.partId ? (email.bodyValues[p.partId]?.value ?? '') : '');
  const html = email.htmlBody.filter((p) => p.type === 'text/html');
  const text = email.textBody.filter((p) => p.type === 'text/plain').map(value).join('\n');
  return { html: html.length ? html.map(value).join('\n') : null, text };
}
