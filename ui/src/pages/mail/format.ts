import { currentLang } from '../../i18n.ts';
import type { Address } from './messageList.ts';

/** A list date: the time for today's mail, else the date. */
export function listDate(utc: string): string {
  const d = new Date(utc);
  const today = new Date().toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(currentLang(), today ? { timeStyle: 'short' } : { dateStyle: 'short' }).format(d);
}

export const fullDate = (utc: string) => new Intl.DateTimeFormat(currentLang(), { dateStyle: 'full', timeStyle: 'short' }).format(new Date(utc));

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const personName = (a: Address | undefined) => (a ? a.name || a.email : '');
export const personFull = (a: Address) => (a.name ? `${a.name} <${a.email}>` : a.email);
export const people = (list: Address[] | null | undefined) => (list ?? []).map(personFull).join(', ');
