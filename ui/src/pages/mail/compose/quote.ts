// Reply, reply-all and forward: recipients, subject, threading headers and the quoted original.
import DOMPurify from 'dompurify';
import type { TFunction } from 'i18next';
import { bodyOf, type FullEmail } from '../email.ts';
import { fullDate, people, personFull } from '../format.ts';
import type { Address } from '../messageList.ts';
import type { ComposeMode } from '../Reader.tsx';
import { escapeHtml } from '../sanitize.ts';
import { emptyDraft, type Draft } from './draft.ts';

const prefixed = (subject: string, prefix: string, already: RegExp) => (already.test(subject) ? subject : `${prefix} ${subject}`);
const notMe = (me: string[]) => (a: Address) => !me.includes(a.email.toLowerCase());

/** The original's body as HTML the editor may hold: sanitised, and without its styles. */
function originalHtml(email: FullEmail): string {
  const body = bodyOf(email);
  return DOMPurify.sanitize(body.html ?? paragraphs(body.text), { FORBID_TAGS: ['style', 'img', 'form', 'input', 'button'], FORBID_ATTR: ['style', 'class'] });
}

/** Text as editor paragraphs, one per line. */
export const paragraphs = (text: string) => text.split('\n').map((l) => `<p>${escapeHtml(l)}</p>`).join('');
/** A new message's body: empty, with the signature below when there is one. */
export const signed = (signature: string): Draft => (signature ? { ...emptyDraft, html: `<p></p><p>-- </p>${paragraphs(signature)}`, text: `\n\n-- \n${signature}` } : emptyDraft);
const quoteText = (text: string) => text.split('\n').map((l) => `> ${l}`).join('\n');

export function replyDraft(mode: ComposeMode, email: FullEmail, me: string[], t: TFunction, signature: string): Draft {
  const sender = email.replyTo?.length ? email.replyTo : (email.from ?? []);
  const body = bodyOf(email);
  const when = fullDate(email.sentAt ?? email.receivedAt);
  const who = people(email.from);
  const sig = signature ? `<p>-- </p>${paragraphs(signature)}` : '';
  const sigText = signature ? `\n-- \n${signature}\n` : '';
  if (mode === 'forward') {
    const header = t('webmail.compose.forwardHeader', { from: who, date: when, subject: email.subject ?? '', to: people(email.to) });
    return {
      ...emptyDraft,
      subject: prefixed(email.subject ?? '', 'Fwd:', /^(fwd?|转发)[:：]/i),
      html: `<p></p>${sig}${paragraphs(header)}${originalHtml(email)}`,
      text: `\n${sigText}\n${header}\n\n${body.text}`,
      attachments: email.attachments.filter((p) => p.blobId).map((p) => ({ blobId: p.blobId!, name: p.name ?? '', type: p.type, size: p.size })),
      original: { id: email.id, keyword: '$forwarded' },
    };
  }
  const to = mode === 'replyAll' ? [...sender, ...(email.to ?? []).filter(notMe(me))] : sender;
  const cc = mode === 'replyAll' ? (email.cc ?? []).filter(notMe(me)) : [];
  const unique = (l: Address[]) => [...new Map(l.map((a) => [a.email.toLowerCase(), personFull(a)])).values()];
  const intro = t('webmail.compose.wrote', { date: when, who });
  return {
    ...emptyDraft,
    to: unique(to),
    cc: unique(cc).filter((c) => !unique(to).includes(c)),
    subject: prefixed(email.subject ?? '', 'Re:', /^(re|回复)[:：]/i),
    html: `<p></p>${sig}${paragraphs(intro)}<blockquote>${originalHtml(email)}</blockquote>`,
    text: `\n${sigText}\n${intro}\n${quoteText(body.text)}`,
    inReplyTo: email.messageId,
    references: [...(email.references ?? []), ...(email.messageId ?? [])],
    original: { id: email.id, keyword: '$answered' },
  };
}

/** Forward as attachment: the original message itself, as message/rfc822. */
export function asAttachment(email: FullEmail) {
  return { blobId: email.blobId, name: `${(email.subject || 'message').replace(/[\\/:*?"<>|]/g, '_').slice(0, 80)}.eml`, type: 'message/rfc822', size: 0 };
}
