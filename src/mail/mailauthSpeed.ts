// mailauth walks every byte of a message in JavaScript, which took more of a delivery than storing
// it. Three of its walks are replaced here by equivalent ones that let the runtime do the searching:
// looking for bare LFs with indexOf rather than a byte-by-byte generator; finding the lines that
// relaxed canonicalisation must rewrite by searching for LF, TAB and double spaces rather than
// visiting each byte; and rewriting such a line into unzeroed memory (every byte of the part
// returned is written). A fourth change keeps what a DKIM key record was found to hold (see
// keptPublicKey). test/mail/mailauthSpeed.test.ts checks them against mailauth's own, so an
// upgrade that changes those methods fails there first. Loaded before the rest of mailauth: its
// verifiers take createKeyCache from tools.js as they load.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Parser = { lastByte?: number; ensureLinebreaks(input: Buffer): Generator<Buffer> };
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
  publicKey: string;
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
const doubleSpace = Buffer.from('  ');

/** mailauth's originals, for the test that compares. */
export const originals = { ensureLinebreaks: MessageParser.prototype.ensureLinebreaks, fixLineBuffer: RelaxedHash.prototype.fixLineBuffer, update: RelaxedHash.prototype.update };

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
    kept = tools.getPublicKey(type, name, minBitLength, async () => answer, options);
    kept.catch(() => {});
    if (keptKeys.size >= keptKeysMax) keptKeys.delete(keptKeys.keys().next().value!);
    keptKeys.set(key, kept);
  }
  const found = await kept;
  return { ...found, warnings: [...found.warnings], flags: [...found.flags] };
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

/**
 * mailauth's RelaxedHash.update with the same output: complete lines that need no rewriting pass
 * as they are, each line that does (a bare LF, a TAB, two spaces in a row, a space before its CRLF)
 * is rewritten, and the last incomplete line waits for the next chunk. (The hash counts the empty
 * lines at the end of what it is given, so one piece or many give the same digest.)
 */
export function update(this: Relaxed, input: Buffer | null, final?: boolean): void {
  this.byteLength += input?.length ?? 0;
  let chunk = input;
  if (this.remainder && this.remainder.length) {
    chunk = chunk ? Buffer.concat([this.remainder, chunk]) : this.remainder;
    this.remainder = false;
  }
  let lineEndPos = -1;
  let cursorPos = 0;
  let lineNeedsFixing = false;
  // The canonical lines go to the hash as one piece: a line at a time, a body with a space at the
  // end of most lines took thousands of hash updates.
  const pieces: Buffer[] = [];
  if (chunk && chunk.length) {
    let tab = chunk.indexOf(TAB);
    let double = chunk.indexOf(doubleSpace);
    let lineStart = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, lf + 1)) {
      if (tab !== -1 && tab < lineStart) tab = chunk.indexOf(TAB, lineStart);
      if (double !== -1 && double < lineStart) double = chunk.indexOf(doubleSpace, lineStart);
      const fix = (tab !== -1 && tab < lf) || (double !== -1 && double + 1 < lf) || lf === 0 || chunk[lf - 1] !== CR || (lf >= 2 && chunk[lf - 2] === SP);
      if (fix) {
        if (lineEndPos >= 0 && lineEndPos >= cursorPos) pieces.push(chunk.subarray(cursorPos, lineEndPos + 1));
        pieces.push(this.fixLineBuffer(chunk.subarray(lineEndPos + 1, lf + 1)));
        cursorPos = lf + 1;
      }
      lineEndPos = lf;
      lineStart = lf + 1;
    }
    if (tab !== -1 && tab < lineStart) tab = chunk.indexOf(TAB, lineStart);
    if (double !== -1 && double < lineStart) double = chunk.indexOf(doubleSpace, lineStart);
    lineNeedsFixing = tab !== -1 || double !== -1;
  }
  if (chunk && cursorPos < chunk.length && cursorPos !== lineEndPos) {
    const part = chunk.subarray(cursorPos, lineEndPos + 1);
    if (part.length) pieces.push(part);
    cursorPos = lineEndPos + 1;
  }
  if (pieces.length) this._pushBodyHash(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  if (chunk && !final && cursorPos < chunk.length) this.remainder = chunk.subarray(cursorPos);
  if (final) {
    const part = (cursorPos && chunk && chunk.subarray(cursorPos)) || chunk;
    if (part && part.length) this._pushBodyHash(lineNeedsFixing || part[part.length - 1] === SP ? this.fixLineBuffer(part) : part);
    if (this.canonicalizedLength) this._updateBodyHash(CRLF);
  }
}

MessageParser.prototype.ensureLinebreaks = ensureLinebreaks;
RelaxedHash.prototype.update = update;
RelaxedHash.prototype.fixLineBuffer = fixLineBuffer;
tools.createKeyCache = createKeyCache;
