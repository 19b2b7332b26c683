import { currentLang } from './i18n.ts';

/** A server timestamp (epoch milliseconds) as local date and time in the UI language. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
