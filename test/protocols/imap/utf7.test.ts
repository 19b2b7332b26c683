import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMailboxName, encodeMailboxName } from '../../../src/protocols/imap/utf7.ts';

test('M2 RFC 3501 §5.1.3 example mailbox name decodes to 台北/日本語', () => {
  assert.equal(decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), '~peter/mail/台北/日本語');
  assert.equal(encodeMailboxName('~peter/mail/台北/日本語'), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
});

test('M2 Chinese folder names round-trip through modified UTF-7', () => {
  for (const name of ['收件箱', '工作/项目 2026', '已发送邮件', 'A&B 报告', '😀 emoji', 'plain']) {
    const encoded = encodeMailboxName(name);
    assert.match(encoded, /^[\x20-\x7e]*$/);
    assert.equal(decodeMailboxName(encoded), name);
  }
});

test('M2 ampersand is written as &- and ASCII passes unchanged', () => {
  assert.equal(encodeMailboxName('Tom & Jerry'), 'Tom &- Jerry');
  assert.equal(decodeMailboxName('Tom &- Jerry'), 'Tom & Jerry');
  assert.equal(encodeMailboxName('INBOX'), 'INBOX');
});

test('M2 malformed modified UTF-7 is refused', () => {
  assert.throws(() => decodeMailboxName('&ZeVnLIqe'), /unterminated/);
  assert.throws(() => decodeMailboxName('&Z/V-'), /invalid/);
  assert.throws(() => decodeMailboxName('caf\u00e9'), /printable ASCII/);
});
