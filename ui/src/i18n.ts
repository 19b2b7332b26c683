import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { defaultLang, i18nextOptions, isLang, type Lang } from '../../src/i18n/languages.ts';

export type { Lang };

/** Each language named in itself, for the switch. */
export const languages: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

function storedLang(): Lang {
  const stored = localStorage.getItem('lang');
  if (isLang(stored)) return stored;
  const cookie = /(?:^|;\s*)lang=([^;]+)/.exec(document.cookie)?.[1];
  return isLang(cookie) ? cookie : defaultLang;
}

// The cookie lets the server answer (errors, place names, mails) in the language the user chose.
function remember(lang: Lang): void {
  localStorage.setItem('lang', lang);
  document.cookie = `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
  document.documentElement.lang = lang;
}

/** Fetches a language's catalogue (its own chunk) once. */
async function load(lang: Lang): Promise<void> {
  if (i18next.hasResourceBundle(lang, 'translation')) return;
  const catalogue = await import(`../../src/i18n/locales/${lang}.json`);
  i18next.addResourceBundle(lang, 'translation', catalogue.default);
}

export async function setLanguage(lang: Lang): Promise<unknown> {
  await load(lang);
  remember(lang);
  return i18next.changeLanguage(lang);
}

export function currentLang(): Lang {
  return isLang(i18next.language) ? i18next.language : defaultLang;
}

const initial = storedLang();
remember(initial);
void i18next.use(initReactI18next).init({ ...i18nextOptions, lng: initial, resources: {} });

/** Settles when the first language is in: main.tsx renders after it. */
export const ready: Promise<void> = load(initial).catch(() => {});

export default i18next;
