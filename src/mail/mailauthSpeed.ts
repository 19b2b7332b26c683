// mailauth walks every byte of a message in JavaScript, which took more of a delivery than storing
// it. Three of its walks are replaced here by equivalent ones that let the runtime do the searching:
// looking for bare LFs with indexOf rather than a byte-by-byte generator; finding the lines that
// relaxed canonicalisation must rewrite by searching for LF, TAB and double spaces rather than
// visiting each byte; and rewriting such a line into unzeroed memory (every byte of the part
// returned is written). test/mail/mailauthSpeed.test.ts checks them against
// mailauth's own on random input, so an upgrade that changes those methods fails there first.
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

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const doubleSpace = Buffer.from('  ');

/** mailauth's originals, for the test that compares. */
export const originals = { ensureLinebreaks: MessageParser.prototype.ensureLinebreaks, fixLineBuffer: RelaxedHash.prototype.fixLineBuffer, update: RelaxedHash.prototype.update };

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
