import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const src = resolve(import.meta.dirname, '../src');

/** Each source file's relative imports, static or dynamic, as paths under src/. */
function imports(): { file: string; target: string }[] {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => [...readFileSync(join(src, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)]
    .map((m) => ({ file, target: relative(src, resolve(dirname(join(src, file)), m[1])) })));
}

/** `core/ports.ts` → `core`; a file directly in src/ is its own top-level part. */
const part = (path: string): string => path.split('/')[0].replace(/\.ts$/, '');

test('DESIGN core talks to the world through its ports: it imports nothing from store, providers, mail, web or protocols', () => {
  const outward = imports().filter(({ file, target }) => part(file) === 'core' && ['store', 'providers', 'mail', 'web', 'protocols'].includes(part(target)));
  assert.deepEqual(outward.map(({ file, target }) => `${file} -> ${target}`), []);
});

test('DESIGN no import cycle between the top-level folders of src/', () => {
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of imports()) {
    if (part(file) === part(target)) continue;
    if (!edges.has(part(file))) edges.set(part(file), new Set());
    edges.get(part(file))!.add(part(target));
  }
  // A path back to where it started, found by depth-first search from every part.
  const cycleFrom = (start: string): string[] | null => {
    const walk = (at: string, path: string[]): string[] | null => {
      for (const next of edges.get(at) ?? []) {
        if (next === start) return [...path, next];
        if (!path.includes(next)) {
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
      }
      return null;
    };
    return walk(start, [start]);
  };
  const cycles = [...edges.keys()].map(cycleFrom).filter((c) => c !== null).map((c) => c.join(' -> '));
  assert.deepEqual(cycles, []);
});
