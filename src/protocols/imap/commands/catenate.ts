// RFC 4469 CATENATE: an APPENDed message built from literal text and parts of messages already in
// the account, named by IMAP URLs (RFC 5092: "/INBOX;UIDVALIDITY=7/;UID=20/;SECTION=1.2").
import { applyPartial, needsStructure, parseSection, sectionBytes } from '../sections.ts';
import { ImapError, type ImapSession } from '../session.ts';
import type { Token } from '../tokens.ts';
import { decodeMailboxName } from '../utf7.ts';
import { atom, bad } from './args.ts';

export type CatPart = { kind: 'text'; bytes: Buffer } | { kind: 'url'; url: string };

/** The parts of "CATENATE (TEXT {n} URL "…" …)". */
export function parseCatenate(token: Token | undefined): CatPart[] {
  if (!token || token.kind !== 'list' || !token.items.length) throw bad('CATENATE needs a list of parts');
  const items = token.items;
  const parts: CatPart[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const kind = atom(items[i], 'CATENATE part').toUpperCase();
    const value = items[i + 1];
    if (kind === 'TEXT' && value?.kind === 'string' && value.literal) parts.push({ kind: 'text', bytes: Buffer.from(value.value) });
    else if (kind === 'URL' && value && value.kind !== 'list') parts.push({ kind: 'url', url: value.kind === 'atom' ? value.value : value.value.toString('utf8') });
    else throw bad('CATENATE parts are TEXT literal or URL string');
  }
  return parts;
}

const urlPattern = /^(?:imap:\/\/([^/]*))?\/(.+?)(?:;uidvalidity=(\d{1,10}))?\/;uid=(\d{1,10})(?:\/;section=([^/]*))?(?:\/;partial=(\d{1,10})(?:\.(\d{1,10}))?)?$/i;

function badUrl(url: string): ImapError {
  return new ImapError('NO', 'The URL names no message of this account', `BADURL ${JSON.stringify(url.slice(0, 200))}`);
}

/** The bytes an IMAP URL names in the session's account, or NO [BADURL]. */
async function urlBytes(session: ImapSession, url: string): Promise<Buffer> {
  const m = urlPattern.exec(url);
  if (!m) throw badUrl(url);
  const [, authority, encodedMailbox, uidValidity, uid, encodedSection, start, length] = m;
  if (authority !== undefined && decodeURIComponent(authority.split('@')[0].split(';')[0]).toLowerCase() !== session.username.toLowerCase()) throw badUrl(url);
  let name: string;
  let section;
  try {
    name = decodeMailboxName(decodeURIComponent(encodedMailbox));
    section = parseSection(decodeURIComponent(encodedSection ?? '').toUpperCase(), start === undefined ? undefined : `<${start}.${length ?? 4294967295}>`);
  } catch {
    throw badUrl(url);
  }
  if (/^inbox$/i.test(name)) name = 'INBOX';
  const { backend } = session.ctx;
  const account = session.accountId!;
  const box = await backend.locate(account, name).catch(() => null);
  if (!box || (uidValidity !== undefined && Number(uidValidity) !== box.uidValidity)) throw badUrl(url);
  const loaded = (await backend.loadMessages(account, box.id, [Number(uid)], { raw: true, structure: needsStructure(section) })).get(Number(uid));
  if (!loaded) throw badUrl(url);
  const bytes = sectionBytes(loaded.raw!, loaded.structure?.body ?? null, section);
  if (!bytes) throw badUrl(url);
  return applyPartial(bytes, section.partial);
}

/** The message the parts make, in order; no larger than an APPEND literal may be. */
export async function catenate(session: ImapSession, parts: CatPart[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (const part of parts) {
    const bytes = part.kind === 'text' ? part.bytes : await urlBytes(session, part.url);
    size += bytes.length;
    if (size > session.ctx.limits.maxLiteralBytes) throw new ImapError('NO', `Message too big (max ${session.ctx.limits.maxLiteralBytes} bytes)`, 'TOOBIG');
    chunks.push(bytes);
  }
  const message = Buffer.concat(chunks);
  if (!message.length) throw new ImapError('NO', 'The catenated message is empty');
  return message;
}
