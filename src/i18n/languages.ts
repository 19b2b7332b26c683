// What the server and the UI share about languages, without the catalogues themselves (the UI
// fetches only the one it shows).
import type { InitOptions } from 'i18next';

export const languages = ['zh-CN', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'zh-CN';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The i18next settings both sides start from; each side adds its `lng` and resources. */
export const i18nextOptions = {
  initAsync: false,
  fallbackLng: defaultLang,
  // Messages go into JSON, mails (escaped by their templates) and React (which escapes), never raw HTML.
  interpolation: { escapeValue: false },
} satisfies InitOptions;
