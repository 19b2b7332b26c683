import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** Reported like the server's other start-up faults: one line, no stack trace. */
class UiBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const uiRoot = fileURLToPath(new URL('../../ui', import.meta.url));
/** Where `npm run build` puts the web UI and where the server serves it from. */
export const uiDist = fileURLToPath(new URL('../../dist/ui', import.meta.url));

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestSource(join(path, entry))));
}

/** The UI's sources: ui/ and the catalogues it shares with the server. */
const uiSources = [uiRoot, fileURLToPath(new URL('../i18n', import.meta.url))];

/** True when dist/ui is missing or older than a file the UI is built from. */
export function uiIsStale(): boolean {
  const built = join(uiDist, 'index.html');
  if (!existsSync(built)) return true;
  if (!existsSync(uiRoot)) return false;
  return Math.max(...uiSources.map(newestSource)) > statSync(built).mtimeMs;
}

/** One build at a time across processes (test files run in parallel); a lock older than 5 minutes is stale. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = `${uiDist}.lock`;
  mkdirSync(dirname(uiDist), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) rmSync(lock, { recursive: true, force: true });
      else await delay(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the UI when dist/ui is missing or stale, so that `npm start` needs no separate step.
 * The build goes to a fresh folder that then replaces dist/ui, so a server reading the old one
 * never sees half a build.
 */
export async function ensureUiBuilt(): Promise<'fresh' | 'built'> {
  if (!uiIsStale()) return 'fresh';
  let build: typeof import('vite').build;
  try {
    ({ build } = await import('vite'));
  } catch {
    // A production install without dev dependencies serves the UI it shipped with.
    if (existsSync(join(uiDist, 'index.html'))) return 'fresh';
    throw new UiBuildError('the web UI is not built and Vite is not installed: run `npm ci && npm run build` first');
  }
  return withBuildLock(async () => {
    if (!uiIsStale()) return 'fresh';
    const staging = `${uiDist}.${process.pid}`;
    try {
      await build({ configFile: join(uiRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
      rmSync(uiDist, { recursive: true, force: true });
      renameSync(staging, uiDist);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return 'built';
  });
}
