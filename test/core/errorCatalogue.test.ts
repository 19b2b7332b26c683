import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCatalogue, isErrorCode, PosternError } from '../../src/core/errors.ts';
import { catalogues } from '../../src/i18n/catalogues.ts';
import { languages } from '../../src/i18n/languages.ts';
import { sourceFiles } from '../helpers/sources.ts';

const codes = Object.keys(errorCatalogue);

/** Codes the source throws: `PosternError('code'…` (also after `x ??`) and a method's `reusedError = 'code'`. */
function thrownCodes(): { code: string; where: string }[] {
  const found: { code: string; where: string }[] = [];
  for (const file of sourceFiles('src')) {
    const patterns = [/PosternError\(\s*(?:[\w.]+\s*\?\?\s*)?'(\w+)'/g, /reusedError\s*=\s*'(\w+)'/g];
    for (const pattern of patterns) for (const m of file.text.matchAll(pattern)) found.push({ code: m[1], where: file.path });
  }
  return found;
}

test('Every error code thrown in src/ is declared in the error catalogue', () => {
  const thrown = thrownCodes();
  assert.ok(thrown.length > 50, `the scan found ${thrown.length} throws`);
  assert.deepEqual(thrown.filter((t) => !isErrorCode(t.code)), []);
});

test('A6 every catalogued error code has its message in zh-CN and English', () => {
  for (const lang of languages) {
    const messages: Record<string, unknown> = catalogues[lang].errors;
    assert.deepEqual(codes.filter((code) => typeof messages[code] !== 'string' || !(messages[code] as string).trim()), [], lang);
  }
});

test('Every server errors.* message belongs to a catalogued code (the others are the UI\'s own)', () => {
  const ui = sourceFiles('ui/src').map((f) => f.text).join('\n');
  const orphans = Object.keys(catalogues['zh-CN'].errors).filter((key) => !isErrorCode(key) && !ui.includes(`'errors.${key}'`));
  assert.deepEqual(orphans, []);
});

/** The argument list after `PosternError(`, up to its closing parenthesis. */
function argumentsAt(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if ('({['.includes(text[i])) depth++;
    else if (')}]'.includes(text[i]) && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

test('Every throw passes the params its message shows (no literal {{placeholder}} reaches a user)', () => {
  const messages: Record<string, string> = catalogues.en.errors;
  const short: string[] = [];
  for (const file of sourceFiles('src')) {
    for (const m of file.text.matchAll(/PosternError\('(\w+)'/g)) {
      const args = argumentsAt(file.text, m.index + 'PosternError('.length);
      const given = new Set([...args.matchAll(/[{,]\s*(\w+)\s*(?=[:,}])/g)].map((k) => k[1]));
      const shown = [...(messages[m[1]] ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((p) => p[1]).filter((p) => p !== 'help');
      for (const name of shown) if (!given.has(name)) short.push(`${file.path}: ${m[1]} without ${name}`);
    }
  }
  assert.deepEqual(short, []);
});

test('A PosternError takes its HTTP status from the catalogue', () => {
  for (const code of codes) {
    const status = new PosternError(code as keyof typeof errorCatalogue).status;
    assert.ok(status >= 400 && status < 600, code);
  }
  assert.equal(new PosternError('too_many_attempts', { minutes: 5 }).status, 429);
  assert.equal(new PosternError('unknown_account').status, 404);
});
