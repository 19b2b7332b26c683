// A message being written, as the Email/set object of its draft (in 草稿箱 with $draft) and as the
// EmailSubmission that sends it and moves it to 已发送 (RFC 8621 §4.6, §7.5).
import { bodyOf, fetchEmail } from '../email.ts';
import { jmap, type Args } from '../jmap.ts';
import { findRole, type Mailbox } from '../mailboxes.ts';
import type { Address } from '../messageList.ts';
import { changed } from '../push.ts';
import { plainTextHtml } from '../sanitize.ts';

export interface Attachment {
  blobId: string;
  name: string;
  type: string;
  size: number;
}

export interface Draft {
  identityId: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  rich: boolean;
  html: string;
  text: string;
  attachments: Attachment[];
  inReplyTo: string[] | null;
  references: string[] | null;
  /** The saved draft's Email id, replaced at each save. */
  draftId: string | null;
  /** The message answered or forwarded: marked $answered / $forwarded once sent. */
  original: { id: string; keyword: '$answered' | '$forwarded' } | null;
}

export interface Identity {
  id: string;
  name: string;
  email: string;
  textSignature?: string;
  htmlSignature?: string;
}

export const emptyDraft: Draft = { identityId: null, to: [], cc: [], bcc: [], subject: '', rich: true, html: '', text: '', attachments: [], inReplyTo: null, references: null, draftId: null, original: null };

/** `Name <a@b>` or `a@b` as a JMAP EmailAddress. */
export function parseAddress(s: string): Address {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(s);
  return m ? { name: m[1].trim() || null, email: m[2].trim() } : { name: null, email: s.trim() };
}

export const isEmpty = (d: Draft) => !d.to.length && !d.cc.length && !d.bcc.length && !d.subject.trim() && !d.text.trim() && !d.attachments.length;

function emailObject(d: Draft, identity: Identity | undefined, drafts: Mailbox): Args {
  const list = (l: string[]) => (l.length ? l.map(parseAddress) : null);
  const e: Args = {
    mailboxIds: { [drafts.id]: true },
    keywords: { $draft: true, $seen: true },
    from: identity ? [{ name: identity.name || null, email: identity.email }] : null,
    to: list(d.to),
    cc: list(d.cc),
    bcc: list(d.bcc),
    subject: d.subject,
    inReplyTo: d.inReplyTo,
    references: d.references,
    bodyValues: { t: { value: d.text }, ...(d.rich ? { h: { value: d.html } } : {}) },
    textBody: [{ partId: 't', type: 'text/plain' }],
    attachments: d.attachments.map((a) => ({ blobId: a.blobId, name: a.name, type: a.type, disposition: 'attachment' })),
  };
  if (d.rich) e.htmlBody = [{ partId: 'h', type: 'text/html' }];
  return e;
}

function need(boxes: Mailbox[], role: string): Mailbox {
  const box = findRole(boxes, role);
  if (!box) throw new Error(`no ${role} folder`);
  return box;
}

/** Saves the draft (a new Email replacing the last one) and returns its id. */
export async function saveDraft(d: Draft, identities: Identity[], boxes: Mailbox[]): Promise<string> {
  const identity = identities.find((i) => i.id === d.identityId) ?? identities[0];
  const [r] = await jmap([['Email/set', { create: { d: emailObject(d, identity, need(boxes, 'drafts')) }, destroy: d.draftId ? [d.draftId] : [] }]]);
  if (!r.created?.d) throw new Error(r.notCreated?.d?.description ?? r.notCreated?.d?.type ?? 'not saved');
  changed();
  return r.created.d.id as string;
}

export async function discardDraft(d: Draft): Promise<void> {
  if (d.draftId) await jmap([['Email/set', { destroy: [d.draftId] }]]);
  changed();
}

/** Saves the final version and submits it; on success it leaves 草稿箱 for 已发送 without $draft. */
export async function sendDraft(d: Draft, identities: Identity[], boxes: Mailbox[]): Promise<void> {
  const identity = identities.find((i) => i.id === d.identityId) ?? identities[0];
  if (!identity) throw new Error('no identity');
  const drafts = need(boxes, 'drafts');
  const sent = need(boxes, 'sent');
  const calls: [string, Args][] = [
    ['Email/set', { create: { d: emailObject(d, identity, drafts) }, destroy: d.draftId ? [d.draftId] : [] }],
    ['EmailSubmission/set', { create: { s: { identityId: identity.id, emailId: '#d' } }, onSuccessUpdateEmail: { '#s': { [`mailboxIds/${drafts.id}`]: null, [`mailboxIds/${sent.id}`]: true, 'keywords/$draft': null } } }],
  ];
  if (d.original) calls.push(['Email/set', { update: { [d.original.id]: { [`keywords/${d.original.keyword}`]: true } } }]);
  const [created, submitted] = await jmap(calls);
  if (!created.created?.d) throw new Error(created.notCreated?.d?.description ?? created.notCreated?.d?.type ?? 'not saved');
  const failed = submitted.notCreated?.s;
  if (failed) {
    changed();
    throw new Error(failed.description ?? failed.type);
  }
  changed();
}

/** A draft from 草稿箱 opened again for writing. */
export async function loadDraft(id: string): Promise<Draft | null> {
  const e = await fetchEmail(id);
  if (!e) return null;
  const body = bodyOf(e);
  const names = (l: Address[] | null) => (l ?? []).map((a) => (a.name ? `${a.name} <${a.email}>` : a.email));
  return {
    ...emptyDraft,
    to: names(e.to),
    cc: names(e.cc),
    bcc: names(e.bcc),
    subject: e.subject ?? '',
    rich: body.html !== null,
    html: body.html ?? plainTextHtml(body.text),
    text: body.text,
    attachments: e.attachments.filter((p) => p.blobId).map((p) => ({ blobId: p.blobId!, name: p.name ?? '', type: p.type, size: p.size })),
    inReplyTo: e.inReplyTo,
    references: e.references,
    draftId: e.id,
  };
}
