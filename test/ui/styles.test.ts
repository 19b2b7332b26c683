import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/sources.ts';

const uiSrc = join(repoRoot, 'ui/src');
const mantineStyles = join(repoRoot, 'node_modules/@mantine/core/styles');

/** A file and every file it imports statically (dynamic `import()` starts another chunk). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export) [^;]*?'(\.{1,2}\/[^']+\.tsx?)'/gm)) closure(resolve(dirname(file), m[1]), seen);
  return seen;
}

const read = (files: Iterable<string>) => [...files].map((f) => readFileSync(f, 'utf8')).join('\n');
const components = (text: string) =>
  new Set([...text.matchAll(/import \{([^}]*)\} from '@mantine\/core'/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '))));
const cssImports = (text: string) => [...text.matchAll(/import '@mantine\/core\/styles\/([\w-]+)\.css'/g)].map((m) => m[1]);

const entry = closure(join(uiSrc, 'main.tsx'));
const areas = ['login', 'settings', 'mail', 'admin'].map((area) => ({ area, files: closure(join(uiSrc, `pages/${area}/index.ts`), new Set(entry)) }));

test('Every area loads the Mantine CSS of every component it uses, not the whole stylesheet', () => {
  assert.doesNotMatch(read(closure(join(uiSrc, 'main.tsx'))), /@mantine\/core\/styles\.css/);
  for (const { area, files } of [{ area: 'entry', files: entry }, ...areas]) {
    const text = read(files);
    const loaded = new Set(cssImports(text));
    const missing = [...components(text)].filter((c) => existsSync(join(mantineStyles, `${c}.css`)) && !loaded.has(c));
    assert.deepEqual(missing, [], area);
  }
});

test('Each file imports Mantine CSS in the order of Mantine\'s own stylesheet, the shared components first', () => {
  const whole = readFileSync(join(repoRoot, 'node_modules/@mantine/core/styles.css'), 'utf8');
  const position = (name: string) => whole.indexOf(readFileSync(join(mantineStyles, `${name}.css`), 'utf8').trim().slice(0, 200));
  for (const file of new Set(areas.flatMap(({ files }) => [...files]))) {
    const order = cssImports(readFileSync(file, 'utf8')).map(position);
    assert.ok(order.every((p) => p >= 0), `${file}: a CSS file not in styles.css`);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), file);
  }
  const first = cssImports(read(entry));
  for (const base of ['baseline', 'default-css-variables', 'global', 'UnstyledButton', 'Paper', 'Popover', 'Input', 'ModalBase']) assert.ok(first.includes(base), base);
});
