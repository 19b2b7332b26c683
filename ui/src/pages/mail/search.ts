// The search box and its filters, kept in the page address (?q=…&from=…) so Back and reload keep them.
import type { Args } from './jmap.ts';

export interface Search {
  q: string;
  from: string;
  to: string;
  subject: string;
  attachment: boolean;
  after: string;
  before: string;
  /** Search every folder instead of the open one. */
  everywhere: boolean;
}

const keys = ['q', 'from', 'to', 'subject', 'after', 'before'] as const;

export function readSearch(params: URLSearchParams): Search | null {
  const s: Search = { q: '', from: '', to: '', subject: '', after: '', before: '', attachment: params.get('att') === '1', everywhere: params.get('in') === 'all' };
  for (const k of keys) s[k] = params.get(k) ?? '';
  return keys.some((k) => s[k]) || s.attachment ? s : null;
}

export function writeSearch(params: URLSearchParams, s: Search | null): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of [...keys, 'att', 'in', 'id']) out.delete(k);
  if (!s) return out;
  for (const k of keys) if (s[k]) out.set(k, s[k]);
  if (s.attachment) out.set('att', '1');
  if (s.everywhere) out.set('in', 'all');
  return out;
}

const day = (date: string, end: boolean) => new Date(`${date}T00:00:00`).getTime() + (end ? 86_400_000 : 0);
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The Email/query filter of a search in folder `boxId`, or of the folder alone. */
export function listFilter(search: Search | null, boxId: string): Args {
  if (!search) return { inMailbox: boxId };
  const c: Args = {};
  if (!search.everywhere) c.inMailbox = boxId;
  if (search.q) c.text = search.q;
  if (search.from) c.from = search.from;
  if (search.to) c.to = search.to;
  if (search.subject) c.subject = search.subject;
  if (search.attachment) c.hasAttachment = true;
  if (search.after) c.after = utc(day(search.after, false));
  if (search.before) c.before = utc(day(search.before, true));
  return c;
}
