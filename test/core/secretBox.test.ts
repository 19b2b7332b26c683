import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../../src/core/secretBox.ts';

test('secrets at rest: sealed with AES-256-GCM, opened only with the same key and context', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'account-1');
  assert.doesNotMatch(sealed, /JBSWY3DPEHPK3PXP/);
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'account-1'), sealed, 'a fresh nonce each time');
  assert.equal(box.open(sealed, 'account-1'), 'JBSWY3DPEHPK3PXP');
  assert.throws(() => box.open(sealed, 'account-2'));
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'account-1'));
  const [v, iv, tag, body] = sealed.split('.');
  const flipped = Buffer.from(body, 'base64url');
  flipped[0] ^= 1;
  assert.throws(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'account-1'));
  assert.throws(() => box.open('garbage', 'account-1'), /not a sealed value/);
  assert.throws(() => new SecretBox(randomBytes(16)), /32-byte key/);
});
