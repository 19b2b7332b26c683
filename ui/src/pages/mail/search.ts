// The search box and its filters, kept in the page address (?q=…&from=…) so Back and reload keep them.
import type { Args } from './jmap.ts';

export interface Search {
  q: string;
  from: string;
  to: string;
  subject: string;
  attachment: boolean;
  unread: boolean;
  flagged: boolean;
  after: string;
  before: string;
  /** Search every folder instead of the open one. */
  everywhere: boolean;
}

const keys = ['q', 'from', 'to', 'subject', 'after', 'before'] as const;
/** The check boxes, as `name=1` in the address. */
const switches = { attachment: 'att', unread: 'unread', flagged: 'star' } as const;
/** Every address parameter a search sets (a folder opened afresh drops them). */
export const searchParams = [...keys, ...Object.values(switches), 'in'];

export function readSearch(params: URLSearchParams): Search | null {
  const s: Search = { q: '', from: '', to: '', subject: '', after: '', before: '', attachment: false, unread: false, flagged: false, everywhere: params.get('in') === 'all' };
  for (const k of keys) s[k] = params.get(k) ?? '';
  for (const [k, name] of Object.entries(switches)) s[k as keyof typeof switches] = params.get(name) === '1';
  return isSearch(s) ? s : null;
}

/** Whether the search asks for anything (the folder alone is no search). */
export const isSearch = (s: Search) => keys.some((k) => s[k]) || Object.keys(switches).some((k) => s[k as keyof typeof switches]);

export function writeSearch(params: URLSearchParams, s: Search | null): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of [...searchParams, 'id']) out.delete(k);
  if (!s) return out;
  for (const k of keys) if (s[k]) out.set(k, s[k]);
  for (const [k, name] of Object.entries(switches)) if (s[k as keyof typeof switches]) out.set(name, '1');
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
  if (search.unread) c.notKeyword = '$seen';
  if (search.flagged) c.hasKeyword = '$flagged';
  if (search.after) c.after = utc(day(search.after, false));
  if (search.before) c.before = utc(day(search.before, true));
  return c;
}
