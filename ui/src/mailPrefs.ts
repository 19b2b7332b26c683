// 邮箱设置 that only the browser needs (how the webmail lists and replies), kept per account in
// this browser; the display name and signature live on the server (JMAP Identity/set).
import { useSyncExternalStore } from 'react';

export interface MailPrefs {
  /** Rows fetched per Email/query page. */
  pageSize: number;
  conversationView: boolean;
  defaultReply: 'reply' | 'replyAll';
}

const defaults: MailPrefs = { pageSize: 50, conversationView: false, defaultReply: 'reply' };
const key = 'postern.mailPrefs';
const listeners = new Set<() => void>();
let cached: { raw: string | null; prefs: MailPrefs } | null = null;

export function mailPrefs(): MailPrefs {
  const raw = localStorage.getItem(key);
  if (cached?.raw !== raw) {
    let stored: Partial<MailPrefs> = {};
    try {
      stored = raw ? JSON.parse(raw) : {};
    } catch {
      // A broken entry is the defaults.
    }
    cached = { raw, prefs: { ...defaults, ...stored } };
  }
  return cached.prefs;
}

export function setMailPrefs(change: Partial<MailPrefs>): void {
  localStorage.setItem(key, JSON.stringify({ ...mailPrefs(), ...change }));
  listeners.forEach((l) => l());
}

export function useMailPrefs(): MailPrefs {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, mailPrefs);
}
