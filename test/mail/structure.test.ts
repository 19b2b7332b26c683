import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPart, parseStructure } from '../../src/mail/structure.ts';
import { parseSection, sectionBytes } from '../../src/protocols/imap/sections.ts';
import { bodyStructureValue } from '../../src/protocols/imap/bodyStructure.ts';
import { serialize } from '../../src/protocols/imap/response.ts';

const nested = [
  'From: =?GB18030?B?1cXI/Q==?= <zhangsan@example.edu>',
  'To: "Li Si" <lisi@example.edu>, Group: a@x.org, b@y.org;',
  'Subject: =?UTF-8?B?5oql5ZGK?=',
  'Message-ID: <m1@example.edu>',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: text/plain; charset=GBK',
  '',
  'line one',
  'line two',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain',
  '',
  'inner text',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>inner</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/pdf; name*=UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf',
  'Content-Disposition: attachment; filename*=UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0=',
  '--outer--',
  '',
].join('\r\n');
const raw = Buffer.from(nested);

const section = (s: string) => sectionBytes(raw, parseStructure(raw).body, parseSection(s, undefined))?.toString();

test('M2 envelope keeps encoded words and charset names as the message has them, with groups', () => {
  const { envelope } = parseStructure(raw);
  assert.equal(envelope.subject, '=?UTF-8?B?5oql5ZGK?=');
  assert.deepEqual(envelope.from, [{ name: '=?GB18030?B?1cXI/Q==?=', mailbox: 'zhangsan', host: 'example.edu' }]);
  assert.deepEqual(envelope.replyTo, envelope.from);
  assert.deepEqual(envelope.to, [
    { name: 'Li Si', mailbox: 'lisi', host: 'example.edu' },
    { name: null, mailbox: 'Group', host: null },
    { name: null, mailbox: 'a', host: 'x.org' },
    { name: null, mailbox: 'b', host: 'y.org' },
    { name: null, mailbox: null, host: null },
  ]);
  assert.equal(envelope.messageId, '<m1@example.edu>');
});

test('M2 sections address nested parts, encapsulated messages and MIME headers', () => {
  assert.equal(section('1'), 'line one\r\nline two');
  assert.equal(section('1.MIME'), 'Content-Type: text/plain; charset=GBK\r\n\r\n');
  assert.equal(section('2.HEADER'), 'Subject: inner\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n');
  assert.equal(section('2.1'), 'inner text');
  assert.equal(section('2.2'), '<p>inner</p>');
  assert.equal(section('3'), 'JVBERi0=');
  assert.equal(section('HEADER.FIELDS (SUBJECT message-id)'), 'Subject: =?UTF-8?B?5oql5ZGK?=\r\nMessage-ID: <m1@example.edu>\r\n\r\n');
  assert.equal(section('4'), undefined);
  assert.equal(section(''), nested);
  assert.equal(findPart(parseStructure(raw).body, [2, 2])?.subtype, 'html');
});

test('M2 BODYSTRUCTURE lists parts with sizes, lines, RFC 2231 parameters and disposition', () => {
  const text = serialize(bodyStructureValue(parseStructure(raw).body, true)).join('');
  assert.ok(text.startsWith('(("text" "plain" ("charset" "GBK") NIL NIL "7BIT" 18 2 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7BIT" 179 (NIL "inner" '), text);
  assert.ok(text.includes('(("text" "plain" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("text" "html" NIL NIL NIL "7BIT" 12 1 NIL NIL NIL NIL) "alternative" ("boundary" "inner") NIL NIL NIL) 12 NIL NIL NIL NIL)'), text);
  assert.ok(text.includes(')("application" "pdf" ("name*" "UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf") NIL NIL "BASE64" 8 NIL ("attachment" ("filename*" "UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf")) NIL NIL)'), text);
  assert.ok(text.endsWith(' "mixed" ("boundary" "outer") NIL NIL NIL)'), text);
});

test('M2 a message without Content-Type is text/plain us-ascii; one without a body is empty', () => {
  const plain = parseStructure(Buffer.from('Subject: x\r\n\r\nhi\r\n'));
  assert.deepEqual([plain.body.type, plain.body.subtype, plain.body.params, plain.body.lines], ['text', 'plain', [['charset', 'us-ascii']], 1]);
  const headerOnly = parseStructure(Buffer.from('Subject: x\r\n'));
  assert.equal(headerOnly.body.bodyEnd - headerOnly.body.bodyStart, 0);
});

test('M2 a delimiter is "--boundary" alone on its line (RFC 2046 §5.1.1); comments are not part of a type or encoding', () => {
  const raw = Buffer.from(
    'Content-Type: Multipart/Mixed (generated); boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64 (it is)\r\n\r\nYmVmb3Jl\r\n--b1x is text\r\n--b1  \r\nContent-Disposition: attachment (sure)\r\n\r\nsecond\r\n--b1--\r\n',
  );
  const body = parseStructure(raw).body;
  assert.deepEqual([body.type, body.subtype, body.parts.length], ['multipart', 'mixed', 2]);
  const [first, second] = body.parts;
  assert.equal(raw.toString('latin1', first.bodyStart, first.bodyEnd), 'YmVmb3Jl\r\n--b1x is text');
  assert.equal(first.encoding, 'base64');
  assert.equal(second.disposition?.type, 'attachment');
});
