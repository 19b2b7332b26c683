// The one set of catalogues, read by the server (errors, mails, protocol replies, CLI) and by the
// UI: one i18next tree per language in locales/, `{{name}}` placeholders, zh-CN first.
import type { InitOptions } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

export const languages = ['zh-CN', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'zh-CN';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export type Catalogue = typeof zhCN;
export const catalogues: Record<Lang, Catalogue> = { 'zh-CN': zhCN, en };

/** The i18next settings both sides start from; each side adds its own `lng`. */
export const i18nextOptions = {
  initAsync: false,
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  fallbackLng: defaultLang,
  // Messages go into JSON, mails (escaped by their templates) and React (which escapes), never raw HTML.
  interpolation: { escapeValue: false },
} satisfies InitOptions;
