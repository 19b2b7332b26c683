import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PosternError } from '../../src/core/errors.ts';
import { normalizePhone, splitPhone } from '../../src/core/phone.ts';

test('B4 an 11-digit mainland mobile number becomes +86', () => {
  assert.equal(normalizePhone('13812345678'), '+8613812345678');
  assert.equal(normalizePhone(' 138-1234-5678 '), '+8613812345678');
  assert.equal(normalizePhone('+86 138 1234 5678'), '+8613812345678');
  assert.equal(normalizePhone('008613812345678'), '+8613812345678');
});

test('international numbers need + or 00 and a country code', () => {
  assert.equal(normalizePhone('+1 (415) 555-0100'), '+14155550100');
  assert.equal(normalizePhone('0085291234567'), '+85291234567');
});

test('invalid numbers are refused with invalid_phone', () => {
  for (const bad of ['', '12812345678', '1381234567', '4155550100', '+0123456789', '+86 12345', '+8612812345678', 'abc', '+1234567890123456']) {
    assert.throws(() => normalizePhone(bad), (err: unknown) => err instanceof PosternError && err.code === 'invalid_phone' && err.status === 400, bad);
  }
});

test('country calling code split', () => {
  assert.deepEqual(splitPhone('+8613812345678'), { countryCode: '86', national: '13812345678' });
  assert.deepEqual(splitPhone('+14155550100'), { countryCode: '1', national: '4155550100' });
  assert.deepEqual(splitPhone('+85291234567'), { countryCode: '852', national: '91234567' });
  assert.deepEqual(splitPhone('+447911123456'), { countryCode: '44', national: '7911123456' });
});
