import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupPlace } from '../../src/providers/geoip.ts';

test('B2 a Chongqing IP is 重庆市 in Chinese and Chongqing in English', () => {
  for (const ip of ['222.177.10.10', '113.204.226.35', '202.202.0.1']) {
    assert.equal(lookupPlace(ip, 'zh-CN').display, '重庆市', ip);
    assert.equal(lookupPlace(ip, 'en').display, 'Chongqing', ip);
  }
  const place = lookupPlace('222.177.10.10', 'zh-CN');
  assert.deepEqual([place.kind, place.country, place.province, place.city], ['public', '中国', '重庆', '重庆市']);
});

test('other cities and countries: the city, its English name, or the Chinese name when there is no English one', () => {
  assert.equal(lookupPlace('202.118.1.123', 'zh-CN').display, '沈阳市');
  assert.equal(lookupPlace('202.118.1.123', 'en').display, 'Shenyang');
  assert.equal(lookupPlace('8.8.8.8', 'zh-CN').display, '美国');
  assert.equal(lookupPlace('8.8.8.8', 'en').display, 'United States');
});

test('private, loopback and link-local addresses say so', () => {
  for (const ip of ['10.1.2.3', '172.16.0.9', '192.168.1.1', '100.64.0.1', '169.254.10.1', 'fd00::1', 'fe80::1%eth0']) {
    assert.deepEqual([lookupPlace(ip, 'zh-CN').display, lookupPlace(ip, 'en').display], ['内网地址', 'Private network'], ip);
  }
  for (const ip of ['127.0.0.1', '127.8.8.8', '::1', '::ffff:127.0.0.1']) {
    assert.deepEqual([lookupPlace(ip, 'zh-CN').display, lookupPlace(ip, 'en').display], ['本机', 'This computer'], ip);
  }
});

test('IPv6 and IPv4-mapped IPv6 addresses are looked up', () => {
  assert.equal(lookupPlace('2001:da8::1', 'zh-CN').display, '北京市');
  assert.equal(lookupPlace('2001:da8::1', 'en').display, 'Beijing');
  assert.equal(lookupPlace('2001:250:3c00::1', 'zh-CN').display, '深圳市');
  assert.equal(lookupPlace('::ffff:222.177.10.10', 'zh-CN').display, '重庆市');
});

test('garbage is unknown, not an error', () => {
  for (const ip of ['', 'not-an-ip', '999.1.1.1']) assert.deepEqual([lookupPlace(ip, 'zh-CN').kind, lookupPlace(ip, 'en').display], ['unknown', 'Unknown']);
});

test('lookups are fast once the database is loaded', () => {
  lookupPlace('1.2.3.4', 'zh-CN');
  lookupPlace('2001:da8::1', 'zh-CN');
  const started = performance.now();
  for (let i = 0; i < 2000; i++) lookupPlace(`${(i % 200) + 1}.${i % 256}.${(i * 7) % 256}.1`, 'zh-CN');
  const perLookupMs = (performance.now() - started) / 2000;
  assert.ok(perLookupMs < 0.5, `${perLookupMs} ms per lookup`);
});
