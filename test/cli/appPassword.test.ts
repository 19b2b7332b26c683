import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { postern } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-cli-app-'));
const env = { POSTERN_DATA_DIR: dir, POSTERN_LANG: 'en' };
after(() => rmSync(dir, { recursive: true, force: true }));

test('E2 app-password add prints the password once in 4 groups; list never shows it; remove makes it fail at once', async () => {
  assert.equal(postern(['domain', 'add', 'example.test'], env).code, 0);
  assert.equal(postern(['user', 'add', 'carol@example.test', '--password-stdin'], env, 'carol main password').code, 0);
  const add = postern(['app-password', 'add', 'carol@example.test', '--name', '手机 Outlook', '--scopes', 'imap,smtp'], env);
  assert.equal(add.code, 0, add.stderr);
  const password = /^([a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4})$/m.exec(add.stdout)?.[1];
  assert.ok(password, add.stdout);

  const list = postern(['app-password', 'list', 'carol@example.test', '--json'], env);
  const [entry] = JSON.parse(list.stdout);
  assert.deepEqual([entry.name, entry.scopes, entry.lastUsed], ['手机 Outlook', 'imap,smtp', null]);
  assert.ok(!list.stdout.includes(password.replaceAll(' ', '')) && !list.stdout.includes(password));

  const login = async () => {
    const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
    try {
      return await ctx.authenticateClient({ protocol: 'imap', username: 'carol@example.test', password, remoteIp: '127.0.0.1' });
    } finally {
      await ctx.close();
    }
  };
  assert.equal((await login()).ok, true);
  const removed = postern(['app-password', 'remove', 'carol@example.test', entry.id], env);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(await login(), { ok: false, reason: 'invalid' });
});

test('app-password: bad scopes, unknown account and unknown id give one line and exit 1', () => {
  const cases: [string[], RegExp][] = [
    [['app-password', 'add', 'carol@example.test', '--name', 'x', '--scopes', 'imap,ftp'], /--scopes imap,ftp/],
    [['app-password', 'add', 'ghost@example.test', '--name', 'x'], /does not exist/],
    [['app-password', 'remove', 'carol@example.test', 'nope'], /does not exist/],
    [['app-password', 'add', 'carol@example.test'], /--name/],
  ];
  for (const [args, message] of cases) {
    const r = postern(args, env);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
  }
});
