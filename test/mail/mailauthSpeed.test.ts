import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ensureLinebreaks, fixLineBuffer, originals, update } from '../../src/mail/mailauthSpeed.ts';

const require = createRequire(import.meta.url);
const { RelaxedHash } = require('mailauth/lib/dkim/body/relaxed.js');
const { MessageParser } = require('mailauth/lib/dkim/message-parser.js');

// Deterministic pseudo-random input, heavy in what canonicalisation cares about.
function random(seed: number) {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pieces = ['a', 'b', 'xyz', ' ', '  ', '\t', '\r', '\n', '\r\n', ' \r\n', '\t\r\n', '\r\n\r\n'];
  const body = (n: number) => Buffer.from(Array.from({ length: n }, () => pieces[Math.floor(next() * pieces.length)]).join(''));
  const split = (b: Buffer) => {
    const out: Buffer[] = [];
    for (let at = 0; at < b.length; ) {
      const n = 1 + Math.floor(next() * 40);
      out.push(b.subarray(at, at + n));
      at += n;
    }
    return out;
  };
  return { body, split };
}

function relaxedHash(chunks: Buffer[], patched: boolean) {
  const h = new RelaxedHash('sha256');
  h.update = patched ? update : originals.update;
  h.fixLineBuffer = patched ? fixLineBuffer : originals.fixLineBuffer;
  for (const c of chunks) h.update(c);
  return { digest: h.digest('base64'), canonicalized: h.canonicalizedLength, bytes: h.byteLength };
}

function linebreaks(chunks: Buffer[], patched: boolean) {
  const parser = new MessageParser();
  const out: Buffer[] = [];
  for (const c of chunks) for (const part of (patched ? ensureLinebreaks : originals.ensureLinebreaks).call(parser, c)) out.push(Buffer.from(part));
  return Buffer.concat(out).toString('latin1');
}

test('M6 the faster DKIM relaxed body hash gives mailauth\'s own result on 2 000 random bodies, in random chunks', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const { body, split } = random(seed);
    const chunks = split(body(1 + (seed % 300)));
    assert.deepEqual(relaxedHash(chunks, true), relaxedHash(chunks, false), `seed ${seed}`);
  }
});

test('M6 the faster bare-LF rewriting gives mailauth\'s own bytes on 2 000 random inputs, in random chunks', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const { body, split } = random(seed);
    const chunks = split(body(1 + (seed % 300)));
    assert.equal(linebreaks(chunks, true), linebreaks(chunks, false), `seed ${seed}`);
  }
});

test('M6 a relaxed line rewritten into unzeroed memory equals mailauth\'s rewrite', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const line = random(seed).body(1 + (seed % 60));
    assert.deepEqual(fixLineBuffer(line), originals.fixLineBuffer(line), `seed ${seed}`);
  }
});
