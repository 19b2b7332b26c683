import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { postern } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-cli-'));
const env = { POSTERN_DATA_DIR: dir, POSTERN_LANG: 'en' };
after(() => rmSync(dir, { recursive: true, force: true }));

test('user add then user list --json shows the account; bad input gives one line and exit 1', () => {
  assert.equal(postern(['domain', 'add', 'example.test'], env).code, 0);
  const add = postern(['user', 'add', 'alice@example.test', '--name', 'Alice', '--password-stdin'], env, 'Tr0ub4dor&3-horse\n');
  assert.equal(add.code, 0, add.stderr);
  const list = postern(['user', 'list', '--json'], env);
  assert.equal(list.code, 0);
  const users = JSON.parse(list.stdout);
  assert.deepEqual(users.map((u: { address: string; name: string }) => [u.address, u.name]), [['alice@example.test', 'Alice']]);
  assert.ok(!list.stdout.includes('argon2'), 'no hashes in listings');

  const cases: [string[], string | undefined, RegExp][] = [
    [['user', 'add', 'alice@example.test', '--password-stdin'], 'another good pass', /already exists/],
    [['user', 'add', 'bob@example.test', '--password-stdin'], 'password1234', /too easy to guess/],
    [['user', 'add', 'bob@nowhere.test', '--password-stdin'], 'another good pass', /nowhere\.test does not exist/],
    [['user', 'add', 'not-an-address', '--password-stdin'], 'another good pass', /Invalid email address/],
    [['user', 'show', 'ghost@example.test'], undefined, /does not exist/],
    [['domain', 'add', 'example.test'], undefined, /already exists/],
  ];
  for (const [args, input, message] of cases) {
    const r = postern(args, env, input);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
});

test('disable, enable, passwd and remove work; the password never comes from argv', () => {
  assert.equal(postern(['user', 'disable', 'alice@example.test'], env).code, 0);
  assert.equal(JSON.parse(postern(['user', 'show', 'alice@example.test', '--json'], env).stdout).disabled, true);
  assert.equal(postern(['user', 'enable', 'alice@example.test'], env).code, 0);
  assert.equal(postern(['user', 'passwd', 'alice@example.test', '--password-stdin'], env, 'a brand new passphrase').code, 0);
  const noTty = postern(['user', 'passwd', 'alice@example.test'], env, '');
  assert.equal(noTty.code, 1);
  assert.match(noTty.stderr, /--password-stdin/);
  assert.equal(postern(['user', 'remove', 'alice@example.test'], env).code, 1);
  assert.equal(postern(['user', 'remove', 'alice@example.test', '--yes'], env).code, 0);
  assert.equal(postern(['domain', 'remove', 'example.test'], env).code, 0);
});

test('--help describes every command', () => {
  for (const args of [['--help'], ['user', '--help'], ['user', 'add', '--help'], ['domain', '--help']]) {
    const r = postern(args, env);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: postern/);
  }
});
