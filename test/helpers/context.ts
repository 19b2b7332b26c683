import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type Context, type ContextOptions } from '../../src/context.ts';

/** A Context on a fresh SQLite data dir with the demo domain; `cleanup` closes and deletes it. */
export async function testContext(options: ContextOptions = {}, env: Record<string, string> = {}): Promise<{ ctx: Context; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-ctx-'));
  const ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: dir, ...env }), { log: pino({ level: 'silent' }), ...options });
  await ctx.accounts.addDomain('example.edu');
  return {
    ctx,
    dir,
    async cleanup() {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A 2FA state the test switches per account (the 2FA core provides the real one). */
export function fakeTwoFactor() {
  const on = new Set<string>();
  return { on, state: { isOn: async (accountId: string) => on.has(accountId) } };
}
