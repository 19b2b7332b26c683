import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';

export const languages = ['zh-CN', 'en'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'zh-CN';

const catalogues: Record<Lang, Record<string, string>> = { 'zh-CN': zhCN, en };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

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

/** Translates `key`, filling `{name}` placeholders; an unknown key returns the key itself. */
export function t(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const text = catalogues[lang][key] ?? catalogues[defaultLang][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function catalogueKeys(lang: Lang): string[] {
  return Object.keys(catalogues[lang]);
}
