// What each area of the web UI fetches before its first page shows: the entry chunk, the area's
// chunk, their static imports and the catalogue of one language, gzipped. Run after `vite build`
// (`npm run build` does); exits 1 when the login area is over its budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  imports?: string[];
}

/** The login page's initial JavaScript (issue 11): at most this many gzipped bytes. */
export const loginBudget = 150_000;

const areaKey = (area: string) => `src/pages/${area}/index.ts`;
const languageKey = /locales\/[\w-]+\.json$/;

/** Gzipped bytes of the JavaScript each area needs first, with the larger language catalogue. */
export function initialSizes(dist: string): Record<string, { files: string[]; gzip: number }> {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
  const gzip = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const closure = (key: string, seen: Set<string>): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const next of manifest[key].imports ?? []) closure(next, seen);
    return seen;
  };
  const languages = Object.keys(manifest).filter((key) => languageKey.test(key));
  const biggest = languages.map((key) => manifest[key].file).sort((a, b) => gzip(b) - gzip(a))[0];
  const areas = Object.keys(manifest).flatMap((key) => /^src\/pages\/(\w+)\/index\.ts$/.exec(key)?.[1] ?? []);
  return Object.fromEntries(
    areas.map((area) => {
      const files = [...closure(areaKey(area), closure('index.html', new Set()))].map((key) => manifest[key].file).concat(biggest);
      return [area, { files, gzip: files.reduce((sum, f) => sum + gzip(f), 0) }];
    }),
  );
}

if (import.meta.main) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../dist/ui', import.meta.url));
  const sizes = initialSizes(dist);
  for (const [area, { files, gzip }] of Object.entries(sizes)) {
    console.log(`${area.padEnd(10)} initial JS ${(gzip / 1000).toFixed(2).padStart(7)} kB gzip  (${files.join(', ')})`);
  }
  if (!sizes.login || sizes.login.gzip > loginBudget) {
    console.error(`the login area's initial JavaScript is over ${loginBudget / 1000} kB gzipped`);
    process.exit(1);
  }
}
