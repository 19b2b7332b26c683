import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeUserAgent } from '../../src/providers/userAgent.ts';

const chromeWin10 = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const pixel = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36';

test('B2 Chrome 141 on Windows 10 reads as the guide shows it', () => {
  assert.deepEqual(describeUserAgent(chromeWin10), { browser: 'Chrome 141', os: 'Windows 10', display: 'Chrome 141 · Windows 10' });
});

test('phones name their device', () => {
  assert.deepEqual(describeUserAgent(iphone), { browser: 'Mobile Safari 17', os: 'iOS 17.5', device: 'Apple iPhone', display: 'Mobile Safari 17 · iOS 17.5 · Apple iPhone' });
  assert.deepEqual(describeUserAgent(pixel), { browser: 'Chrome 141', os: 'Android 14', device: 'Google Pixel 8', display: 'Chrome 141 · Android 14 · Google Pixel 8' });
});

test('no or unknown User-Agent gives empty parts', () => {
  assert.deepEqual(describeUserAgent(undefined), { browser: '', os: '', display: '' });
  assert.deepEqual(describeUserAgent('curl/8.0'), { browser: '', os: '', display: '' });
});
