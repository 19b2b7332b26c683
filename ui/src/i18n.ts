import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

export const languages = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
] as const;
export type Lang = (typeof languages)[number]['value'];
const defaultLang: Lang = 'zh-CN';

function isLang(value: unknown): value is Lang {
  return languages.some((l) => l.value === value);
}

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

export function setLanguage(lang: Lang): Promise<unknown> {
  remember(lang);
  return i18next.changeLanguage(lang);
}

export function currentLang(): Lang {
  return isLang(i18next.language) ? i18next.language : defaultLang;
}

const initial = storedLang();
remember(initial);
void i18next.use(initReactI18next).init({
  initAsync: false,
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: defaultLang,
  interpolation: { escapeValue: false },
});

export default i18next;
