import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ensureLinebreaks, fixLineBuffer, keptPublicKey, originals, processChunk, update } from '../../src/mail/mailauthSpeed.ts';
import { loadMailauth } from '../../src/mail/mailAuth.ts';

const require = createRequire(import.meta.url);
const { RelaxedHash } = require('mailauth/lib/dkim/body/relaxed.js');
const { MessageParser } = require('mailauth/lib/dkim/message-parser.js');
const { getPublicKey } = require('mailauth/lib/tools.js');

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
  return { body, split, next };
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

/** What a message parser makes of `chunks`: the header section it hands over, the body after it, its counters. */
async function headerSplit(chunks: Buffer[], patched: boolean) {
  const parser = new MessageParser();
  let header: Buffer | null = null;
  const body: Buffer[] = [];
  parser.emitHeaders = async function (this: typeof parser, chunk?: Buffer) {
    this.state = 'body';
    header = Buffer.concat([...this.headerChunks, ...(chunk ? [chunk] : [])]);
  };
  parser.nextChunk = async (chunk: Buffer) => void body.push(Buffer.from(chunk));
  for (const c of chunks) await (patched ? processChunk : originals.processChunk).call(parser, c);
  return { header: (header as Buffer | null)?.toString('latin1') ?? null, body: Buffer.concat(body).toString('latin1'), pending: Buffer.concat(parser.headerChunks).toString('latin1'), headerBytes: parser.headerBytes, stateBytes: parser.stateBytes, state: parser.state };
}

test('M6 the faster search for the end of the header section splits 2 000 random messages, in random chunks, where mailauth does', async () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const { split, next } = random(seed);
    const pieces = ['Subject: x', 'From: a@b', ' folded', '\r\n', '\n', '\r', '\r\n\r\n', '\n\n', '\n\r\n', 'body'];
    const message = Buffer.from(Array.from({ length: 1 + (seed % 40) }, () => pieces[Math.floor(next() * pieces.length)]).join(''));
    const chunks = split(message);
    assert.deepEqual(await headerSplit(chunks, true), await headerSplit(chunks, false), `seed ${seed}`);
  }
});

test('M6 a relaxed line rewritten into unzeroed memory equals mailauth\'s rewrite', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const line = random(seed).body(1 + (seed % 60));
    assert.deepEqual(fixLineBuffer(line), originals.fixLineBuffer(line), `seed ${seed}`);
  }
});

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');

test('M6 a DKIM key record read once gives mailauth\'s own result, or its own error, each time it is asked again', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  const ed = generateKeyPairSync('ed25519').publicKey;
  const records = [
    `v=DKIM1; k=rsa; p=${spki(rsa)}`,
    `v=DKIM1; k=ed25519; p=${ed.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64')}`,
    `v=DKIM1; k=rsa; t=y:s; p=${spki(rsa)}`,
    `v=DKIM1; k=rsa; h=sha1; p=${spki(rsa)}`,
    'v=DKIM1; k=rsa; p=',
    'v=DKIM2; p=abc',
    `k=rsa; v=DKIM1; p=${spki(rsa)}`,
  ];
  // The kept key is a key object whose toString() is mailauth's PEM (what mailauth reports of it).
  const outcome = (p: Promise<{ publicKey: unknown }>) => p.then((r) => ({ ok: { ...r, publicKey: String(r.publicKey) } }), (err: Error & { code?: string }) => ({ failed: [err.message, err.code] }));
  for (const record of records) {
    const resolver = async () => [[record]];
    for (const options of [{}, { strict: true }, { hashAlgo: 'sha256' }]) {
      const theirs = await outcome(getPublicKey('DKIM', 'sel._domainkey.sender.test', 1024, resolver, options));
      for (let i = 0; i < 2; i++) assert.deepEqual(await outcome(keptPublicKey('DKIM', 'sel._domainkey.sender.test', 1024, resolver, options)), theirs, `${record} ${JSON.stringify(options)}`);
    }
  }
});

test('M6 a signer\'s key changed or revoked in the DNS is read anew: the next message is checked against it, not the kept one', async () => {
  const { authenticate, dkimSign } = await loadMailauth();
  const keys = [generateKeyPairSync('rsa', { modulusLength: 2048 }), generateKeyPairSync('rsa', { modulusLength: 2048 })];
  const message = 'From: a@sender.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n';
  const signed = async (key: (typeof keys)[number]) => {
    const privateKey = key.privateKey.export({ type: 'pkcs8', format: 'pem' });
    const r = await dkimSign(message, { signatureData: [{ signingDomain: 'sender.test', selector: 'sel', privateKey }] } as unknown as Parameters<typeof dkimSign>[1]);
    return Buffer.from(r.signatures + message);
  };
  let record = `v=DKIM1; k=rsa; p=${spki(keys[0].publicKey)}`;
  const resolver = async (name: string, rrtype: string) => {
    if (name === 'sel._domainkey.sender.test' && rrtype === 'TXT') return [[record]];
    throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
  };
  const dkim = async (raw: Buffer) => (await authenticate(raw, { ip: '192.0.2.1', helo: 'mx.sender.test', sender: 'a@sender.test', mta: 'mx.example.test', resolver, disableBimi: true } as never)).dkim.results[0].status.result;
  assert.equal(await dkim(await signed(keys[0])), 'pass');
  assert.equal(await dkim(await signed(keys[0])), 'pass');
  record = `v=DKIM1; k=rsa; p=${spki(keys[1].publicKey)}`;
  assert.equal(await dkim(await signed(keys[0])), 'fail');
  assert.equal(await dkim(await signed(keys[1])), 'pass');
  record = 'v=DKIM1; k=rsa; p=';
  assert.notEqual(await dkim(await signed(keys[1])), 'pass');
});
