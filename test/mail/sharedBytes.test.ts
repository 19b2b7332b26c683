import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepend, sharedConcat } from '../../src/mail/sharedBytes.ts';

test('M4 the trace headers go into the room left in front of a received message: same bytes, no second buffer; without room (or taken) a copy', () => {
  const raw = sharedConcat([Buffer.from('Subject: a\r\n'), Buffer.from('\r\nbody\r\n')], 64);
  const before = Buffer.from(raw);
  const top = Buffer.from('Received: from x\r\n');
  const stored = prepend(top, raw);
  assert.equal(stored.toString(), top.toString() + before.toString());
  assert.equal(stored.buffer, raw.buffer, 'written into the room, not copied');
  assert.ok(raw.equals(before), 'the view handed out before is unchanged');
  // The room in front of `raw` is taken now: a second top for the same view is a copy of its own.
  const again = prepend(Buffer.from('X-Other: 1\r\n'), raw);
  assert.notEqual(again.buffer, raw.buffer);
  assert.equal(again.toString(), 'X-Other: 1\r\n' + before.toString());
  assert.equal(stored.toString(), top.toString() + before.toString(), 'the first one stays as it was');
  // More than the room, and a buffer without any: copies.
  const small = sharedConcat([before], 64);
  assert.notEqual(prepend(Buffer.alloc(100, 'a'), small).buffer, small.buffer);
  const plain = prepend(top, Buffer.from(before));
  assert.ok(plain.buffer instanceof SharedArrayBuffer);
  assert.equal(plain.toString(), top.toString() + before.toString());
});
