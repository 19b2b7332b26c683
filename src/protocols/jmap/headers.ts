// RFC 8621 §4.1.2: header fields in Raw form and the parsed forms (Text, Addresses,
// GroupedAddresses, MessageIds, Date, URLs).
import addressparser from 'nodemailer/lib/addressparser';
import { decodeWords, type RawHeader } from '../../mail/headerValues.ts';
import { messageIds } from '../../mail/threading.ts';

const unfold = (v: string) => v.replace(/\r?\n(?=[ \t])/g, '');

export const asText = (v: string) => decodeWords(unfold(v)).replace(/\s+/g, ' ').trim();

export interface EmailAddress {
  name: string | null;
  email: string;
}

type Parsed = ReturnType<typeof addressparser>;
const toAddress = (a: Parsed[number]): EmailAddress => ({ name: a.name ? decodeWords(a.name) : null, email: a.address ?? '' });

export function asGroupedAddresses(v: string): { name: string | null; addresses: EmailAddress[] }[] {
  const groups: { name: string | null; addresses: EmailAddress[] }[] = [];
  for (const entry of addressparser(unfold(v))) {
    if (entry.group) groups.push({ name: entry.name ? decodeWords(entry.name) : null, addresses: entry.group.map(toAddress) });
    else {
      const last = groups.at(-1);
      if (last && last.name === null) last.addresses.push(toAddress(entry));
      else groups.push({ name: null, addresses: [toAddress(entry)] });
    }
  }
  return groups;
}

export const asAddresses = (v: string): EmailAddress[] => asGroupedAddresses(v).flatMap((g) => g.addresses);

export function asMessageIds(v: string): string[] | null {
  const ids = messageIds(unfold(v));
  return ids.length ? ids : null;
}

export function asDate(v: string): string | null {
  const d = new Date(unfold(v).replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(d.getTime()) ? null : utcDate(d);
}

export function asURLs(v: string): string[] | null {
  const urls = [...unfold(v).matchAll(/<([^>]+)>/g)].map((m) => m[1]);
  return urls.length ? urls : null;
}

export const utcDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export type HeaderForm = 'Raw' | 'Text' | 'Addresses' | 'GroupedAddresses' | 'MessageIds' | 'Date' | 'URLs';

export function inForm(v: string, form: HeaderForm): unknown {
  switch (form) {
    case 'Raw':
      return v;
    case 'Text':
      return asText(v);
    case 'Addresses':
      return asAddresses(v);
    case 'GroupedAddresses':
      return asGroupedAddresses(v);
    case 'MessageIds':
      return asMessageIds(v);
    case 'Date':
      return asDate(v);
    case 'URLs':
      return asURLs(v);
  }
}

/** `header:Name[:asForm][:all]` (§4.1.3), or null when the property is not of that shape. */
export function headerProperty(property: string): { name: string; form: HeaderForm; all: boolean } | null {
  const m = /^header:([^:]+)(?::as(Raw|Text|Addresses|GroupedAddresses|MessageIds|Date|URLs))?(:all)?$/.exec(property);
  return m ? { name: m[1], form: (m[2] as HeaderForm | undefined) ?? 'Raw', all: !!m[3] } : null;
}

export function headerValue(headers: RawHeader[], property: { name: string; form: HeaderForm; all: boolean }): unknown {
  const values = headers.filter((h) => h.name.toLowerCase() === property.name.toLowerCase()).map((h) => inForm(h.value, property.form));
  return property.all ? values : (values.at(-1) ?? null);
}
