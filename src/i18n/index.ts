import i18next from 'i18next';
import { memo } from '../memo.ts';
import { catalogues } from './catalogues.ts';
import { defaultLang, i18nextOptions, languages, type Lang } from './languages.ts';

export { defaultLang, isLang, languages, type Lang } from './languages.ts';

const server = i18next.createInstance();
void server.init({ ...i18nextOptions, lng: defaultLang, resources: Object.fromEntries(languages.map((l) => [l, { translation: catalogues[l] }])) });

/** Picks zh-CN or en from an Accept-Language header; zh-CN when nothing matches. */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return defaultLang;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return defaultLang;
}

// The catalogues never change while running: a string with no placeholders to fill is looked up
// once (i18next's lookup costs tens of microseconds; every signed-in page shows a translated place).
// Bounded, as some keys are built from request input.
const plain = memo(2000, (langAndKey) => {
  const [lang, key] = langAndKey.split('\0');
  return server.t(key, { lng: lang });
});

/** Translates `key`, filling `{{name}}` placeholders; an unknown key returns the key itself. */
export function t(lang: Lang, key: string, params?: Record<string, string | number>): string {
  return params ? server.t(key, { ...params, lng: lang }) : plain(`${lang}\0${key}`);
}

/** A PosternError's message (`errors.<code>`); `help` fills `{{help}}`, the help-desk contacts. */
export function errorMessage(lang: Lang, error: { code: string; params: Record<string, string | number> }, help = 'postmaster'): string {
  return t(lang, `errors.${error.code}`, { help, ...error.params });
}

/** For a reply whose reader's language is unknown (protocols): both languages, `first` first. */
export function bilingual(key: string, params: Record<string, string | number> = {}, first: Lang = defaultLang): string {
  const second: Lang = first === 'zh-CN' ? 'en' : 'zh-CN';
  return `${t(first, key, params)} / ${t(second, key, params)}`;
}
