import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Every .ts/.tsx file under `dir` (relative to the repository), with its text. */
export function sourceFiles(dir: string): { path: string; text: string }[] {
  const walk = (path: string): string[] =>
    statSync(path).isDirectory() ? readdirSync(path).flatMap((e) => walk(join(path, e))) : /\.tsx?$/.test(path) ? [path] : [];
  return walk(join(repoRoot, dir)).map((path) => ({ path: path.slice(repoRoot.length), text: readFileSync(path, 'utf8') }));
}

/** `{a:{b:'x'}}` → `{'a.b': 'x'}` */
export function flatten(tree: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? Object.entries(flatten(v, `${prefix}${k}.`)) : [[`${prefix}${k}`, v]])),
  );
}
