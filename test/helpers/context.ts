import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type Context, type ContextOptions } from '../../src/context.ts';
import { startPostern } from '../../src/server.ts';
import { protocolPortsAny } from './cli.ts';
import { postgresStore, testPostgresUrl } from './db.ts';
import { stubResolver } from './dns.ts';

/** A Context on a fresh SQLite data dir with the demo domain; `cleanup` closes and deletes it. */
export async function testContext(options: ContextOptions = {}, env: Record<string, string> = {}): Promise<{ ctx: Context; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-ctx-'));
  const ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: dir, ...env }), { log: pino({ level: 'silent' }), resolver: stubResolver(), ...options });
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

/** A whole Postern (web + SMTP) on port 0 and a fresh SQLite data dir, with the domain example.edu. */
export async function testPostern(options: ContextOptions = {}, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'postern-srv-'));
  const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_WEB_PORT: '0', ...protocolPortsAny, ...env });
  const postern = await startPostern(config, { log: pino({ level: 'silent' }), resolver: stubResolver(), ...options });
  if (!(await postern.ctx.accounts.repo.domainExists('example.edu'))) await postern.ctx.accounts.addDomain('example.edu');
  return {
    postern,
    ctx: postern.ctx,
    dir,
    async cleanup() {
      await postern.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two Posterns sharing a fresh PostgreSQL schema, Redis and secrets, as two nodes of one cluster; `cleanup` stops both and drops the schema. */
export async function twoNodes() {
  const { schema, cleanup } = await postgresStore();
  const shared = {
    POSTERN_DATABASE_URL: testPostgresUrl,
    POSTERN_REDIS_URL: process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    POSTERN_SECRET_PEPPER: randomBytes(32).toString('base64'),
    POSTERN_SECRET_DATA_KEY: randomBytes(32).toString('base64'),
  };
  const nodeA = await testPostern({ schema }, shared);
  const nodeB = await testPostern({ schema }, shared);
  return {
    nodeA,
    nodeB,
    async cleanup() {
      await nodeA.cleanup();
      await nodeB.cleanup();
      await cleanup();
    },
  };
}
