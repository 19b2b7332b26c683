import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { feedDataStream, originalFeedDataStream } from '../../../src/protocols/smtp/dataStreamSpeed.ts';

// Deterministic pseudo-random input, heavy in what the end of DATA and dot-stuffing care about.
function random(seed: number) {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pieces = ['a', 'xyz', '.', '..', '\r', '\n', '\r\n', '\r\n.', '\r\n..', '\n.', '.\r\n', '\r\n.\r\n'];
  const body = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(next() * pieces.length)]).join('');
  const split = (b: Buffer) => {
    const out: Buffer[] = [];
    for (let at = 0; at < b.length; ) {
      const n = 1 + Math.floor(next() * (next() < 0.2 ? 4000 : 12));
      out.push(b.subarray(at, at + n));
      at += n;
    }
    return out;
  };
  return { body, split };
}

type Feed = typeof originalFeedDataStream;

/** What an SMTP server sees of `chunks`: its commands and each DATA's bytes, in order. */
async function receive(chunks: Buffer[], feed: Feed): Promise<string[]> {
  const stream = new SMTPStream() as InstanceType<typeof SMTPStream> & { _feedDataStream: Feed };
  stream._feedDataStream = feed;
  const seen: string[] = [];
  stream.oncommand = (command: Buffer, callback: () => void) => {
    const line = command.toString('latin1');
    seen.push(`command ${line}`);
    if (line !== 'DATA') return callback();
    const data = stream.startDataMode();
    const parts: Buffer[] = [];
    data.on('data', (c: Buffer) => parts.push(c));
    data.on('end', () => {
      seen.push(`data ${Buffer.concat(parts).toString('latin1')} (${data.byteLength})`);
      stream.continue();
    });
    callback();
  };
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => stream.write(chunk, (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => stream.end(resolve));
  return seen;
}

test('inbound DATA: the end of DATA and dot-stuffing found by indexOf are smtp-server\'s own, however the input is cut (SPEC M1)', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { body, split } = random(seed);
    const input = Buffer.from(`MAIL FROM:<a@b.test>\r\nDATA\r\n${body(seed % 10 === 0 ? 20_000 : seed % 300)}\r\n.\r\nNOOP\r\nQUIT\r\n`, 'latin1');
    const chunks = split(input);
    assert.deepEqual(await receive(chunks, feedDataStream), await receive(chunks, originalFeedDataStream), `seed ${seed}`);
  }
});

test('inbound DATA: a first line "." sent as ".." in a chunk of its own stays content, not the end (SPEC M1)', async () => {
  const chunks = ['DATA\r\n', '..', '\r\nrest\r\n.\r\nNOOP\r\n'].map((s) => Buffer.from(s));
  const seen = await receive(chunks, feedDataStream);
  assert.deepEqual(seen, await receive(chunks, originalFeedDataStream));
  assert.equal(seen[1], 'data .\r\nrest\r\n (9)');
  assert.equal(seen[2], 'command NOOP');
});
