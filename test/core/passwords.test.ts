import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { argon2Sync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { currentParams, hashPassword, verifyPassword } from '../../src/core/passwords.ts';

const fromPhc = (phc: string) => {
  const [, , , , salt, hash] = phc.split('$');
  return { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
};

test('C1 main passwords on the hash threads: argon2id itself, more at once than cores, each verified and a wrong one refused', async () => {
  const passwords = Array.from({ length: 3 * availableParallelism() }, (_, i) => `main password ${i}`);
  const stored = await Promise.all(passwords.map((p) => hashPassword(p)));
  for (const [i, phc] of stored.entries()) {
    const { salt, hash } = fromPhc(phc);
    assert.deepEqual(argon2Sync('argon2id', { message: passwords[i], nonce: salt, tagLength: 32, ...currentParams }), hash);
  }
  const checks = await Promise.all(stored.flatMap((phc, i) => [verifyPassword(passwords[i], phc), verifyPassword(`${passwords[i]}!`, phc)]));
  assert.deepEqual(checks.map((c) => c.ok), stored.flatMap(() => [true, false]));
});

test('C1 a hash the threads cannot make is refused, and the next one is made', async () => {
  // Fewer than 8 KiB per lane: argon2 itself refuses it.
  await assert.rejects(hashPassword('x', { memory: 1, passes: 1, parallelism: 1 }));
  assert.equal((await verifyPassword('x', await hashPassword('x'))).ok, true);
});

test('C1 a process that hashed a password ends by itself: the hash threads do not hold it (the CLI)', () => {
  const script = `import { hashPassword } from ${JSON.stringify(new URL('../../src/core/passwords.ts', import.meta.url).href)}; console.log((await hashPassword('x')).slice(0, 9));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '$argon2id');
});
