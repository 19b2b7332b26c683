// mailauth walks every byte of a message in JavaScript, which took more of a delivery than storing
// it. Four of its walks are replaced here by equivalent ones that let the runtime do the searching:
// looking for bare LFs with indexOf rather than a byte-by-byte generator; finding the end of the
// header section by searching for LFs; finding the lines that relaxed canonicalisation must rewrite
// with one regular expression over the chunk rather than visiting each byte; and rewriting such a
// line into unzeroed memory (every byte of the part returned is written). Besides, what a DKIM key
// record was found to hold is kept, as a key object (see keptPublicKey).
// test/mail/mailauthSpeed.test.ts checks them against mailauth's own, so an upgrade that changes
// those methods fails there first. Loaded before the rest of mailauth: its verifiers take
// createKeyCache from tools.js as they load.
import { Buffer } from 'node:buffer';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Parser = {
  lastByte?: number;
  state: string;
  stateBytes: number[];
  headerBytes: number;
  headerChunks: Buffer[];
  ensureLinebreaks(input: Buffer): Generator<Buffer>;
  processChunk(chunk: Buffer): Promise<void>;
  emitHeaders(chunk?: Buffer): Promise<void>;
  nextChunk(chunk: Buffer): Promise<void>;
};
interface Relaxed {
  byteLength: number;
  remainder: Buffer | false;
  canonicalizedLength: number;
  fixLineBuffer(line: Buffer): Buffer;
  update(chunk: Buffer | null, final?: boolean): void;
  _pushBodyHash(chunk: Buffer): void;
  _updateBodyHash(chunk: Buffer): void;
}
const { MessageParser } = require('mailauth/lib/dkim/message-parser.js') as { MessageParser: { prototype: Parser } };
const { RelaxedHash } = require('mailauth/lib/dkim/body/relaxed.js') as { RelaxedHash: { prototype: Relaxed } };
const { CRLF } = require('mailauth/lib/dkim/body/line-endings.js') as { CRLF: Buffer };

interface KeyOptions {
  strict?: boolean;
  hashAlgo?: string;
}
interface PublicKey {
  publicKey: string | KeyObject;
  warnings: unknown[];
  flags: string[];
}
type Resolve = (name: string, rrtype: string) => Promise<unknown>;
type GetPublicKey = (type: string, name: string, minBitLength: number | undefined, resolver: Resolve, options?: KeyOptions) => Promise<PublicKey>;
interface KeyCache {
  resolver: Resolve;
  get(type: string, name: string, minBitLength?: number, options?: KeyOptions): Promise<PublicKey>;
}
const tools = require('mailauth/lib/tools.js') as { getPublicKey: GetPublicKey; createKeyCache(resolver: Resolve): KeyCache; toALabel(name: string): string };

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;

/** mailauth's originals, for the test that compares. */
export const originals = { ensureLinebreaks: MessageParser.prototype.ensureLinebreaks, processChunk: MessageParser.prototype.processChunk, fixLineBuffer: RelaxedHash.prototype.fixLineBuffer, update: RelaxedHash.prototype.update };

const keptKeys = new Map<string, Promise<PublicKey>>();
const keptKeysMax = 1000;

/**
 * mailauth's getPublicKey, kept by the record the DNS gave and the options: parsing a key record
 * (its tags checked by a schema, the key read and written out again as PEM) took a tenth of a
 * message's checks, and mail comes in runs from the same few signers. The record is looked up
 * every time, so a changed or revoked key is read anew; what the record is found to hold, or the
 * error it gives, depends on nothing else.
 */
export async function keptPublicKey(type: string, name: string, minBitLength: number | undefined, resolver: Resolve, options: KeyOptions = {}): Promise<PublicKey> {
  const answer = await resolver(tools.toALabel(name), 'TXT');
  const key = JSON.stringify([type, answer, minBitLength ?? null, !!options.strict, options.hashAlgo ?? '']);
  let kept = keptKeys.get(key);
  if (!kept) {
    kept = tools.getPublicKey(type, name, minBitLength, async () => answer, options).then((found) => ({ ...found, publicKey: keyObjectOf(found.publicKey as string) }));
    kept.catch(() => {});
    if (keptKeys.size >= keptKeysMax) keptKeys.delete(keptKeys.keys().next().value!);
    keptKeys.set(key, kept);
  }
  const found = await kept;
  return { ...found, warnings: [...found.warnings], flags: [...found.flags] };
}

/**
 * The PEM that getPublicKey gives as a key object, which is what a signature is checked with: from
 * the PEM, each check read the key anew, and that took longer than the RSA check itself. mailauth
 * reports the key with toString(), so that gives the PEM.
 */
function keyObjectOf(pem: string): KeyObject | string {
  try {
    return Object.defineProperty(createPublicKey(pem), 'toString', { value: () => pem });
  } catch {
    return pem;
  }
}

/** mailauth's per-message key cache (one lookup for the signatures that name the same record), over keptPublicKey. */
export function createKeyCache(resolver: Resolve): KeyCache {
  const asked = new Map<string, Promise<PublicKey>>();
  return {
    resolver,
    get(type, name, minBitLength, options = {}) {
      const key = [!!options.strict, minBitLength || '', options.hashAlgo || '', name].join(':');
      let lookup = asked.get(key);
      if (!lookup) {
        lookup = keptPublicKey(type, name, minBitLength, resolver, options);
        lookup.catch(() => {});
        asked.set(key, lookup);
      }
      return lookup;
    },
  };
}

/** Every bare LF becomes CRLF; the chunks in between pass as they are. */
export function* ensureLinebreaks(this: Parser, input: Buffer): Generator<Buffer> {
  let pos = 0;
  for (let i = input.indexOf(LF); i !== -1; i = input.indexOf(LF, i + 1)) {
    if ((i === 0 ? this.lastByte : input[i - 1]) === CR) continue;
    yield pos === i ? Buffer.from('\r\n') : Buffer.concat([input.subarray(pos, i), Buffer.from('\r\n')]);
    pos = i + 1;
  }
  if (input.length) this.lastByte = input[input.length - 1];
  if (pos === 0) yield input;
  else if (pos < input.length) yield input.subarray(pos);
}

/**
 * mailauth's processChunk with the same effect: the header section ends at the first LF that
 * follows an LF (or LF CR), or that is the message's first or, after a CR, second byte. It is
 * found by searching for LFs, not by visiting every header byte; the bytes before a chunk are the
 * last ones kept in stateBytes, as mailauth keeps them.
 */
export async function processChunk(this: Parser, input: Buffer): Promise<void> {
  if (!input || !input.length) return;
  let chunk = input;
  if (this.state === 'header') {
    const before = this.stateBytes;
    const at = (i: number) => (i >= 0 ? chunk[i] : before[before.length + i]);
    let end = -1;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const seen = this.headerBytes + i + 1;
      const b1 = seen > 1 ? at(i - 1) : undefined;
      if (b1 === LF || (b1 === CR && at(i - 2) === LF) || seen === 1 || (seen === 2 && b1 === CR)) {
        end = i;
        break;
      }
    }
    const upTo = end === -1 ? chunk.length : end + 1;
    this.stateBytes = [...before, ...chunk.subarray(Math.max(0, upTo - 4), upTo)].slice(-4);
    this.headerBytes += upTo;
    if (end === chunk.length - 1) return this.emitHeaders(chunk);
    if (end !== -1) {
      await this.emitHeaders(chunk.subarray(0, end + 1));
      chunk = chunk.subarray(end + 1);
    }
  }
  if (this.state !== 'body') {
    this.headerChunks.push(chunk);
    return;
  }
  await this.nextChunk(chunk);
}

/** RFC 6376 §3.4.4 on one line (or several): LF as CRLF, WSP runs as one SP, none at a line's end. */
export function fixLineBuffer(line: Buffer): Buffer {
  const out = Buffer.allocUnsafe(line.length * 2);
  let at = out.length - 1;
  let nonWsp = false;
  let wsp = false;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line[i];
    if (c === LF) {
      out[at--] = LF;
      out[at--] = CR;
      if (i > 0 && line[i - 1] === CR) i--;
      nonWsp = false;
      wsp = false;
      continue;
    }
    if (c === SP || c === TAB) {
      if (nonWsp) wsp = true;
      continue;
    }
    if (wsp) {
      out[at--] = SP;
      wsp = false;
    }
    nonWsp = true;
    out[at--] = c;
  }
  if (wsp && nonWsp) out[at--] = SP;
  return out.subarray(at + 1);
}

// What makes relaxed canonicalisation rewrite a line: a TAB, two spaces in a row, a space before
// its CRLF, a bare LF (RFC 6376 §3.4.4). One search over the chunk finds them, not a search per line.
const needsFixing = /\t| {2}| \r\n|(?<!\r)\n/g;
const lastLineNeedsFixing = /\t| {2}/;

/**
 * mailauth's RelaxedHash.update with the same output: complete lines that need no rewriting pass
 * as they are, a line whose only fault is the space before its CRLF loses that space, every other
 * line that needs it is rewritten, and the last incomplete line waits for the next chunk. (The hash
 * counts the empty lines at the end of what it is given, so one piece or many give the same digest.)
 */
export function update(this: Relaxed, input: Buffer | null, final?: boolean): void {
  this.byteLength += input?.length ?? 0;
  let chunk = input;
  if (this.remainder && this.remainder.length) {
    chunk = chunk ? Buffer.concat([this.remainder, chunk]) : this.remainder;
    this.remainder = false;
  }
  // The canonical lines go to the hash as one piece: a line at a time, a body with a space at the
  // end of most lines took thousands of hash updates.
  const pieces: Buffer[] = [];
  let cursor = 0;
  const complete = chunk ? chunk.lastIndexOf(LF) + 1 : 0;
  if (chunk && complete > 0) {
    const text = chunk.toString('latin1', 0, complete);
    needsFixing.lastIndex = 0;
    for (let found = needsFixing.exec(text); found; found = needsFixing.exec(text)) {
      const at = found.index;
      const end = text.indexOf('\n', at) + 1;
      if (found[0] === ' \r\n') {
        pieces.push(chunk.subarray(cursor, at));
        cursor = at + 1;
      } else {
        const start = at > 0 ? text.lastIndexOf('\n', at - 1) + 1 : 0;
        if (start > cursor) pieces.push(chunk.subarray(cursor, start));
        pieces.push(this.fixLineBuffer(chunk.subarray(start, end)));
        cursor = end;
      }
      needsFixing.lastIndex = end;
    }
    if (complete > cursor) pieces.push(chunk.subarray(cursor, complete));
    cursor = complete;
  }
  if (pieces.length) this._pushBodyHash(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  if (chunk && !final && cursor < chunk.length) this.remainder = chunk.subarray(cursor);
  if (final) {
    const part = chunk && cursor < chunk.length ? chunk.subarray(cursor) : cursor ? null : chunk;
    if (part && part.length) this._pushBodyHash(lastLineNeedsFixing.test(part.toString('latin1')) || part[part.length - 1] === SP ? this.fixLineBuffer(part) : part);
    if (this.canonicalizedLength) this._updateBodyHash(CRLF);
  }
}

MessageParser.prototype.ensureLinebreaks = ensureLinebreaks;
MessageParser.prototype.processChunk = processChunk;
RelaxedHash.prototype.update = update;
RelaxedHash.prototype.fixLineBuffer = fixLineBuffer;
tools.createKeyCache = createKeyCache;
