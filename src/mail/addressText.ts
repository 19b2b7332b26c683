// An address header as one line of text for message lists and the search index:
// `"张三" <zhang@example.cn>, "Team": a@example.org, b@example.org;` (display names decoded and quoted).
import { domainToUnicode } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { decodeWords } from './headerValues.ts';

type Entry = addressparser.Address | addressparser.Group;

const encodedWord = /=\?[^?]+\?[BbQq]\?[^?]*\?=/;

/**
 * The address as it is meant: RFC 2047 keeps encoded words out of an addr-spec, so one found there
 * counts only when it decodes to a plain local@domain (never to a second address); an IDNA domain
 * is shown in Unicode.
 */
function mailbox(address: string): string {
  if (encodedWord.test(address)) {
    const decoded = decodeWords(address);
    address = /^[^\s@]+@[^\s@]+$/.test(decoded) && !/=\?/.test(decoded) ? decoded : '';
  }
  if (!/@xn--/.test(address)) return address;
  const at = address.lastIndexOf('@');
  const labels = address.slice(at + 1).split('.').map((l) => (l.startsWith('xn--') ? domainToUnicode(l) : l));
  return labels.includes('') ? address : `${address.slice(0, at + 1)}${labels.join('.')}`;
}

function entryText(entry: Entry): string {
  const name = decodeWords(entry.name.trim());
  let text = name ? `"${name.replace(/["\\]/g, '\\$&')}"` : '';
  if ('group' in entry && entry.group) return `${text}${name ? ': ' : ''}${entry.group.map(entryText).join(', ')};`;
  const address = entry.address ? mailbox(entry.address) : '';
  if (address) text += name ? ` <${address}>` : address;
  return text;
}

/** The header value's addresses, groups with their members, as text. */
export function addressText(value: string): string {
  return addressparser(value).map(entryText).join(', ');
}
