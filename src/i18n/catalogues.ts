// The one set of catalogues, read by the server (errors, mails, protocol replies, CLI) and by the
// UI: one i18next tree per language in locales/, `{{name}}` placeholders, zh-CN first.
import type { Lang } from './languages.ts';
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

export type Catalogue = typeof zhCN;
export const catalogues: Record<Lang, Catalogue> = { 'zh-CN': zhCN, en };
