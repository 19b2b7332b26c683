import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const uiSrc = fileURLToPath(new URL('../../ui/src', import.meta.url));
const load = (lang: string) => JSON.parse(readFileSync(join(uiSrc, 'locales', `${lang}.json`), 'utf8')) as Record<string, unknown>;

/** `{a:{b:'x'}}` → `{'a.b': 'x'}` */
export function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${k}.`)) : [[`${prefix}${k}`, v]])),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const path = join(dir, e);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(e) ? [path] : [];
  });
}

const zh = flatten(load('zh-CN'));
const en = flatten(load('en'));

test('A6 every UI string key exists in both zh-CN and English, with a non-empty text', () => {
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'keys only in en.json');
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'keys only in zh-CN.json');
  for (const [key, value] of [...Object.entries(zh), ...Object.entries(en)]) assert.ok(typeof value === 'string' && value.trim(), key);
});

test('A6 both catalogues use the same {{placeholders}} for each key', () => {
  const names = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(zh)) assert.deepEqual(names(en[key]), names(zh[key]), key);
});

test('A6 every t(\'literal.key\') in the UI source exists in the catalogues', () => {
  const missing: string[] = [];
  for (const file of sourceFiles(uiSrc)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) if (!(m[1] in zh)) missing.push(`${file}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test('The guide\'s words are used for the settings pages', () => {
  for (const word of ['欢迎页', '个人设置', '邮箱设置', '安全设置', '二次验证设置', '客户端专用密码', '登录设备', '修改密码', '备用邮箱', '微信', '短信', '第三方 OTP']) {
    assert.ok(Object.values(zh).includes(word), word);
  }
});
