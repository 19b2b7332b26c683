import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';

export interface Secrets {
  /** HMAC key for app-password lookup. */
  pepper: Buffer;
  /** AES-256-GCM key for secrets at rest (TOTP seeds). */
  dataKey: Buffer;
}

/**
 * Creates the data dir if needed and checks that it is writable. What Postern writes there (the
 * SQLite database and its journal, blobs, secrets) is for its own user only: files 600, folders
 * 700, also for a data dir made by an older version.
 */
export function prepareDataDir(config: Config): void {
  process.umask(0o077);
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    throw new ConfigError(`POSTERN_DATA_DIR=${config.dataDir}: not writable (${(err as NodeJS.ErrnoException).code}); example: POSTERN_DATA_DIR=./data`);
  }
  if (statSync(config.dataDir).uid !== process.getuid?.()) return;
  chmodSync(config.dataDir, 0o700);
  for (const name of readdirSync(config.dataDir)) {
    const path = join(config.dataDir, name);
    if (/^postern\.sqlite(-wal|-shm|-journal)?$|^secrets\.json$/.test(name) && statSync(path).isFile()) chmodSync(path, 0o600);
  }
}

/** Secrets from POSTERN_SECRET_* when set (multi-node), else from data/secrets.json, created at first start. */
export function loadSecrets(config: Config): Secrets {
  if (config.secrets.pepper && config.secrets.dataKey) {
    return { pepper: Buffer.from(config.secrets.pepper, 'base64'), dataKey: Buffer.from(config.secrets.dataKey, 'base64') };
  }
  const file = join(config.dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh = { pepper: randomBytes(32).toString('base64'), dataKey: randomBytes(32).toString('base64') };
    writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  let stored: { pepper?: string; dataKey?: string };
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: cannot be read (${(err as Error).message}); restore it from a backup — without it app passwords and TOTP secrets cannot be checked`);
  }
  const pepper = Buffer.from(config.secrets.pepper ?? stored.pepper ?? '', 'base64');
  const dataKey = Buffer.from(config.secrets.dataKey ?? stored.dataKey ?? '', 'base64');
  if (pepper.length < 32 || dataKey.length !== 32) {
    throw new ConfigError(`${file}: pepper or dataKey is missing or has the wrong length; restore the file from a backup`);
  }
  return { pepper, dataKey };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One server per SQLite data dir: a lock file with our pid; a stale one (dead pid) is taken over. */
export function acquireLock(config: Config): () => void {
  const file = join(config.dataDir, 'postern.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && processAlive(pid) && pid !== process.pid) {
        throw new ConfigError(`POSTERN_DATA_DIR=${config.dataDir}: another Postern (pid ${pid}) is already serving this data dir; stop it first or use another POSTERN_DATA_DIR`);
      }
      unlinkSync(file);
    }
  }
  throw new ConfigError(`POSTERN_DATA_DIR=${config.dataDir}: cannot take the lock file ${file}`);
}
