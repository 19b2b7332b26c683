import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandReader } from '../../../src/protocols/imap/reader.ts';
import { parseCommand, ParseError, type Token } from '../../../src/protocols/imap/tokens.ts';
import { formatSequenceSet, inSequenceSet, parseSequenceSet } from '../../../src/protocols/imap/sequence.ts';

const cmd = (s: string) => parseCommand(Buffer.from(s));
const show = (t: Token): unknown => (t.kind === 'list' ? t.items.map(show) : t.kind === 'atom' ? t.value : t.value.toString());

test('M2 RFC 3501 examples: LOGIN with quoted strings and a literal', () => {
  const c = cmd('a001 LOGIN SMITH SESAME\r\n');
  assert.deepEqual([c.tag, c.name, c.args.map(show)], ['a001', 'LOGIN', ['SMITH', 'SESAME']]);
  const q = cmd('A002 login "fred foobar" "pass\\"word\\\\"\r\n');
  assert.deepEqual(q.args.map(show), ['fred foobar', 'pass"word\\']);
  const l = cmd('A003 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n');
  assert.deepEqual(l.args.map(show), ['FRED FOOBAR', 'fat man']);
});

test('M2 RFC 3501 FETCH example with sections, header lists and partials', () => {
  const c = cmd('a004 fetch 12 (flags body[header.fields (date from)] BODY.PEEK[1.2.MIME]<0.2048>)\r\n');
  assert.equal(c.name, 'FETCH');
  assert.deepEqual(c.args.map(show), ['12', ['flags', 'body[header.fields (date from)]', 'BODY.PEEK[1.2.MIME]<0.2048>']]);
});

test('M2 LITERAL+ and nested lists parse', () => {
  const c = cmd('A1 APPEND saved-messages (\\Seen) "25-Nov-2026 10:00:00 +0800" {5+}\r\nhello\r\n');
  assert.deepEqual(c.args.map(show), ['saved-messages', ['\\Seen'], '25-Nov-2026 10:00:00 +0800', 'hello']);
  assert.deepEqual(cmd('x SEARCH OR (FROM "a" SEEN) NOT UID 1:*\r\n').args.map(show), ['OR', ['FROM', 'a', 'SEEN'], 'NOT', 'UID', '1:*']);
});

test('M2 malformed commands are parse errors, not crashes', () => {
  for (const bad of ['\r\n', 'a\r\n', 'a LOGIN "unterminated\r\n', 'a FETCH 1 (FLAGS\r\n', 'a X )\r\n', 'a X {3}\r\nab', '+ X\r\n', 'a X  y\r\n']) {
    assert.throws(() => cmd(bad), ParseError, bad);
  }
});

test('M2 reader assembles literals across chunks and asks for continuation only for synchronizing ones', () => {
  const events: string[] = [];
  const commands: string[] = [];
  const reader = new CommandReader({ maxLineBytes: 100, maxLiteralBytes: 1000 }, {
    command: (d) => commands.push(d.toString()),
    continueLiteral: () => events.push('+'),
    literalTooBig: (_h, fatal) => events.push(fatal ? 'toobig-fatal' : 'toobig'),
    lineTooLong: () => events.push('long'),
  });
  for (const ch of 'a1 APPEND x {3}\r\nabc\r\na2 APPEND x {2+}\r\nde\r\na3 NOOP\r\n') reader.push(Buffer.from(ch));
  assert.deepEqual(events, ['+']);
  assert.deepEqual(commands, ['a1 APPEND x {3}\r\nabc\r\n', 'a2 APPEND x {2+}\r\nde\r\n', 'a3 NOOP\r\n']);
});

test('M2 a huge declared literal is refused before any of it is read', () => {
  const events: string[] = [];
  const reader = new CommandReader({ maxLineBytes: 100, maxLiteralBytes: 1000 }, {
    command: (d) => events.push('cmd ' + d.toString().trim()),
    continueLiteral: () => events.push('+'),
    literalTooBig: (h, fatal) => events.push(`toobig ${fatal} ${h.toString().trim()}`),
    lineTooLong: () => events.push('long'),
  });
  reader.push(Buffer.from('a1 APPEND x {999999999}\r\na2 NOOP\r\n'));
  assert.deepEqual(events, ['toobig false a1 APPEND x {999999999}', 'cmd a2 NOOP']);
  reader.push(Buffer.from('a3 APPEND x {999999999+}\r\nxxxx'));
  assert.equal(events[2], 'toobig true a3 APPEND x {999999999+}');
});

test('M2 a line over the limit is reported once', () => {
  let long = 0;
  const reader = new CommandReader({ maxLineBytes: 100, maxLiteralBytes: 1000 }, {
    command: () => assert.fail('no command expected'),
    continueLiteral: () => {},
    literalTooBig: () => {},
    lineTooLong: () => long++,
  });
  for (let i = 0; i < 10; i++) reader.push(Buffer.alloc(64, 0x61));
  assert.equal(long, 1);
});

test('M2 sequence sets: ranges, "*" and reversed ranges (RFC 3501 §9)', () => {
  const set = parseSequenceSet('2,4:7,9,12:*');
  assert.deepEqual([1, 2, 3, 4, 7, 8, 9, 12, 15].map((n) => inSequenceSet(set, n, 15)), [false, true, false, true, true, false, true, true, true]);
  assert.equal(inSequenceSet(parseSequenceSet('*:4'), 5, 10), true);
  assert.equal(inSequenceSet(parseSequenceSet('3:*'), 2, 2), true);
  assert.throws(() => parseSequenceSet('0'));
  assert.throws(() => parseSequenceSet('1:2:3'));
  assert.equal(formatSequenceSet([1, 2, 3, 5, 7, 8]), '1:3,5,7:8');
});
