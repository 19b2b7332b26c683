import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { postern } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-cli-console-'));
const env = { POSTERN_DATA_DIR: dir, POSTERN_LANG: 'en' };
after(() => rmSync(dir, { recursive: true, force: true }));

const ok = (args: string[], input?: string) => {
  const r = postern(args, env, input);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const fails = (args: string[]) => {
  const r = postern(args, env);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  return r.stderr;
};

before(() => {
  ok(['domain', 'add', 'example.test']);
  assert.match(ok(['user', 'add', 'eve@example.test', '--one-time-password']), /^account eve@example\.test created; one-time password \(shown once\): [A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}\n$/);
});

test('X5 postern domain policy sets 2FA required with a grace period and shows it as JSON; bad input is one line', () => {
  ok(['domain', 'policy', 'example.test', '--require', '--grace', '14', '--starts', '2026-12-01']);
  const [policy] = JSON.parse(ok(['domain', 'policy', 'example.test', '--json']));
  assert.deepEqual([policy.twoFactor, policy.graceDays, policy.startsAt], ['required', 14, '2026-12-01T00:00:00.000Z']);
  assert.match(fails(['domain', 'policy', 'example.test', '--grace', 'soon']), /--grace soon: must be a whole number of days/);
  assert.match(fails(['domain', 'policy', 'nowhere.test', '--require']), /nowhere\.test/);
  ok(['domain', 'help', 'example.test', '--phone', '023-65111500', '--email', 'help@example.test']);
  assert.equal(JSON.parse(ok(['domain', 'policy', 'example.test', '--json']))[0].helpPhone, '023-65111500');
});

test('X5 postern alias adds, lists (--json) and removes an alias; a taken address is refused in one line', () => {
  ok(['alias', 'add', 'office@example.test', 'eve@example.test']);
  assert.deepEqual(JSON.parse(ok(['alias', 'list', 'eve@example.test', '--json'])).map((a: { alias: string }) => a.alias), ['office@example.test']);
  assert.match(fails(['alias', 'add', 'eve@example.test', 'eve@example.test']), /already in use/);
  assert.match(fails(['domain', 'remove', 'example.test']), /example\.test/);
  ok(['alias', 'remove', 'office@example.test', 'eve@example.test']);
  assert.deepEqual(JSON.parse(ok(['alias', 'list', 'eve@example.test', '--json'])), []);
});

test('X5 postern user exempt needs a reason; quota, admin flag and a one-time password reset are recorded with the operator', () => {
  assert.match(fails(['user', 'exempt', 'eve@example.test']), /--reason is required/);
  ok(['user', 'exempt', 'eve@example.test', '--reason', 'shared lab mailbox']);
  ok(['user', 'quota', 'eve@example.test', '4096']);
  ok(['user', 'admin', 'eve@example.test', 'on']);
  assert.match(ok(['user', 'reset-password', 'eve@example.test']), /one-time password of eve@example\.test \(shown once\): \S{23}\n/);
  assert.equal(JSON.parse(ok(['user', 'show', 'eve@example.test', '--json'])).quotaMiB, 4096);
  const events = JSON.parse(ok(['audit', 'eve@example.test', '--json'])).map((e: { type: string; detail: { operator?: string } }) => [e.type, typeof e.detail.operator]);
  const byOperator = JSON.parse(ok(['audit', '--type', 'quota_changed', '--json']));
  assert.equal(byOperator.length, 1);
  assert.match(byOperator[0].detail.operator, /@/);
  assert.match(fails(['audit', '--type', 'nonsense']), /--type nonsense: not an event type/);
  for (const type of ['password_changed', 'admin_flag_changed', 'quota_changed', 'two_factor_exempted', 'alias_removed', 'alias_added', 'account_created']) assert.ok(events.some((e: string[]) => e[0] === type && e[1] === 'string'), type);
});
