import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

test('the data dir is 700 and the SQLite database, its journal, blobs and secrets are 600, also for a data dir made before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'postern-modes-'));
  try {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'postern.sqlite'), '', { mode: 0o644 });
    const ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: dir }), { log: pino({ level: 'silent' }) });
    try {
      await ctx.accounts.addDomain('example.edu');
      const account = await ctx.accounts.create({ address: 'modes@example.edu', password: 'a long test passphrase' });
      await ctx.mail.deliver(account.id, Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
      // Larger than what the database keeps: a file under blobs/.
      await ctx.mail.deliver(account.id, Buffer.from(`Subject: large\r\n\r\n${'attachment data\r\n'.repeat(80_000)}`));
      assert.equal(mode(dir), 0o700);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const expected = statSync(path).isDirectory() ? 0o700 : 0o600;
        assert.equal(mode(path).toString(8), expected.toString(8), name);
      }
      const blobs = join(dir, 'blobs');
      const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? [join(d, n), ...walk(join(d, n))] : [join(d, n)]));
      for (const path of walk(blobs)) assert.equal(mode(path), statSync(path).isDirectory() ? 0o700 : 0o600, path);
    } finally {
      await ctx.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
