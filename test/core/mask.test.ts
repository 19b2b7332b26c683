import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskEmail, maskIp, maskPhone } from '../../src/core/mask.ts';

test('B2 mailbox masked as the guide shows: test****@domain', () => {
  assert.equal(maskEmail('test001@example.edu'), 'test****@example.edu');
  assert.equal(maskEmail('test001@cqu.edu.cn'), 'test****@cqu.edu.cn');
});

test('short local parts keep fewer characters, and at least 3 are hidden', () => {
  assert.equal(maskEmail('abcdef@x.cn'), 'abc****@x.cn');
  assert.equal(maskEmail('abcd@x.cn'), 'a****@x.cn');
  assert.equal(maskEmail('ab@x.cn'), 'a****@x.cn');
  assert.equal(maskEmail('张三丰先生好@x.cn'), '张三丰****@x.cn');
});

test('B2 IPv4 masked as the guide shows: 202.xxx.x.xxx', () => {
  assert.equal(maskIp('202.118.1.123'), '202.xxx.x.xxx');
  assert.equal(maskIp('10.0.12.5'), '10.x.xx.x');
  assert.equal(maskIp('::ffff:202.118.1.123'), '202.xxx.x.xxx');
});

test('IPv6 keeps its first group', () => {
  assert.equal(maskIp('2001:da8:1::1f'), '2001:xxx:x::xx');
  assert.equal(maskIp('::1'), '::x');
  assert.equal(maskIp('fe80::1%eth0'), 'fe80::x');
  assert.equal(maskIp('garbage'), 'x');
});

test('phone numbers keep the prefix and last 4 digits', () => {
  assert.equal(maskPhone('+8613812345678'), '+86 138****5678');
  assert.equal(maskPhone('+14155550100'), '+1 41****0100');
  assert.equal(maskPhone('+85291234567'), '+852 91****4567');
});
