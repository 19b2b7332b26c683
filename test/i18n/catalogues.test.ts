import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogues } from '../../src/i18n/catalogues.ts';
import { languages } from '../../src/i18n/languages.ts';
import { t } from '../../src/i18n/index.ts';
import { flatten, sourceFiles } from '../helpers/sources.ts';

const zh = flatten(catalogues['zh-CN']);
const en = flatten(catalogues.en);

test('A6 every string key (UI and server) exists in both zh-CN and English, with a non-empty text', () => {
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'keys only in en.json');
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'keys only in zh-CN.json');
  for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) assert.ok(typeof value === 'string' && value.trim(), key);
});

test('A6 both catalogues use the same {{placeholders}} for each key', () => {
  const names = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(zh)) assert.deepEqual(names(en[key]), names(zh[key]), key);
});

test('A6 no catalogue text keeps a single-brace {placeholder} of the old format', () => {
  for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) assert.doesNotMatch(String(value), /(^|[^{])\{\w+\}(?!\})/, key);
});

test('A6 every t(\'literal.key\') in the UI source exists in the catalogues', () => {
  const missing: string[] = [];
  for (const file of sourceFiles('ui/src')) {
    for (const m of file.text.matchAll(/\bt\('([\w.]+)'/g)) if (!(m[1] in zh)) missing.push(`${file.path}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test('A6 every t(lang, \'literal.key\') in the server source exists in the catalogues', () => {
  const missing: string[] = [];
  for (const file of sourceFiles('src')) {
    for (const m of file.text.matchAll(/\bt\([\w.'-]+, '([\w.]+)'/g)) if (!(m[1] in zh)) missing.push(`${file.path}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test('A6 the server translates from the same catalogues as the UI, zh-CN by default', () => {
  for (const lang of languages) assert.equal(t(lang, 'login.submit'), flatten(catalogues[lang])['login.submit']);
  assert.equal(t('en', 'errors.unknown_domain', { domain: 'example.org' }), 'The domain example.org does not exist; add it first.');
  assert.equal(t('zh-CN', 'app.name'), 'Postern 邮件系统');
});

test('The guide\'s words are used for the settings pages', () => {
  for (const word of ['欢迎页', '个人设置', '邮箱设置', '安全设置', '二次验证设置', '客户端专用密码', '登录设备', '修改密码', '备用邮箱', '微信', '短信', '第三方 OTP']) {
    assert.ok(Object.values(zh).includes(word), word);
  }
});
