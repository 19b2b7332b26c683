import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordPolicy } from '../../src/core/passwordPolicy.ts';
import { PosternError } from '../../src/core/errors.ts';

const refusal = (password: string, address = 'alice@example.edu'): string | null => {
  try {
    checkPasswordPolicy(password, address);
    return null;
  } catch (err) {
    return (err as PosternError).code;
  }
};

test('ASVS 2.1.1 2.1.7 new passwords: at least 12 characters, not common, not guessable from the address', () => {
  assert.equal(refusal('Xk7#pL9m!qR'), 'password_too_short', '11 characters');
  assert.equal(refusal('password1234'), 'password_too_common');
  assert.equal(refusal('qwertyuiop12'), 'password_too_common');
  assert.equal(refusal('woaini1314520'), 'password_too_common');
  assert.equal(refusal('alice@example.edu'), 'password_equals_address');
  assert.equal(refusal('alicealice2026'), 'password_too_common', 'built from the address');
  assert.equal(refusal('correct horse battery staple'), null);
});

test('ASVS 2.1.2 2.1.3 2.1.4 2.1.9 long passphrases with spaces and any Unicode pass, with no composition rule', () => {
  assert.equal(refusal('a'.repeat(10) + ' ' + 'quiet river under old bridges at dawn'.repeat(2)), null, '64+ characters with spaces');
  assert.equal(refusal('我的邮箱密码是山城重庆的夜景灯火'), null, 'Chinese only');
  assert.equal(refusal('🐼🐉🏮🎋🐼🐉🏮🎋🐼🐉🏮🎋'), null, '12 emoji');
  assert.equal(refusal('lowercase words only here'), null, 'no upper case, digits or symbols required');
  assert.equal(refusal('x'.repeat(257)), 'password_too_long');
});
