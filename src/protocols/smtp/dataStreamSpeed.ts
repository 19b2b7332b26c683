// smtp-server looks for the end of DATA (and for dot-stuffing) by visiting every byte of the
// message in JavaScript, the largest cost of receiving one on the main thread. Its method is
// replaced here by the same one with one change: the candidates, a dot at the start of a line, are
// found with indexOf. test/protocols/smtp/dataStreamSpeed.test.ts checks it against smtp-server's
// own on random input and random chunking, so an upgrade that changes the method fails there first.
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

interface DataStream {
  writable: boolean;
  destroyed: boolean;
  write(chunk: Buffer): boolean;
  once(event: string, listener: () => void): void;
  removeListener(event: string, listener: () => void): void;
}
interface Stream {
  _dataStream: DataStream;
  _lastBytes: Buffer | false;
  _atDataStart: boolean;
  _countDataBytes(length: number): void;
  _endDataMode(chunk: Buffer | false, remainder: Buffer, done: () => void): void;
  _feedDataStream(chunk: Buffer, done: () => void): void;
}

const prototype = SMTPStream.prototype as unknown as Stream;
const endSequence = Buffer.from('\r\n.\r\n');
const lineStartDot = Buffer.from('\n.');
const lonelyDot = Buffer.from('.\r\n');

/** smtp-server's original, for the test that compares. */
export const originalFeedDataStream = prototype._feedDataStream;

export function feedDataStream(this: Stream, input: Buffer, done: () => void): void {
  const dataStream = this._dataStream;
  let chunk = input;
  const carry = this._lastBytes;
  // The up to 4 bytes held back from the last chunk are content unless a line starting with a dot
  // begins in them: then (rarely) they go on, as smtp-server does, in front of a copy of the chunk.
  // Otherwise they go out on their own: a copy of every chunk was most of what V8 counted against
  // its limit for collecting (100 KB a message), so a full collection ran twice as often.
  if (carry && carry.length && !this._atDataStart && input.length >= 8 && Buffer.concat([carry, input.subarray(0, 2)]).indexOf(lineStartDot, 1) === -1) {
    this._lastBytes = false;
    this._countDataBytes(carry.length);
    if (dataStream.writable) dataStream.write(carry);
  }
  if (this._lastBytes && this._lastBytes.length) {
    chunk = Buffer.concat([this._lastBytes, chunk], this._lastBytes.length + chunk.length);
    this._lastBytes = false;
  }
  let len = chunk.length;
  // Tested with _atDataStart, not with the bytes counted: see smtp-server (a first line "." sent as
  // ".." in a chunk of its own must stay content, or DATA could be ended early and commands smuggled).
  if (this._atDataStart && len >= 3 && Buffer.compare(chunk.subarray(0, 3), lonelyDot) === 0) {
    this._endDataMode(false, chunk.subarray(3), done);
    return;
  }
  if (this._atDataStart && len >= 2 && chunk[0] === 0x2e && chunk[1] === 0x2e) {
    chunk = chunk.subarray(1);
    len--;
    this._atDataStart = false;
  }
  // The dots at positions 2 … len - 3 that start a line, in order.
  for (let lf = chunk.indexOf(lineStartDot, 1); lf !== -1 && lf + 1 < len - 2; lf = chunk.indexOf(lineStartDot, lf + 1)) {
    const i = lf + 1;
    if (Buffer.compare(chunk.subarray(i - 2, i + 3), endSequence) === 0) {
      const buf = chunk.subarray(0, i);
      this._countDataBytes(buf.length);
      this._endDataMode(buf, chunk.subarray(i + 3), done);
      return;
    }
    if (chunk[i + 1] === 0x2e) {
      const buf = chunk.subarray(0, i);
      this._lastBytes = false;
      this._countDataBytes(buf.length);
      if (dataStream.writable) dataStream.write(buf);
      const rest = chunk.subarray(i + 1);
      setImmediate(() => this._feedDataStream(rest, done));
      return;
    }
  }
  this._lastBytes = chunk.length < 4 ? chunk : chunk.subarray(chunk.length - 4);
  if (this._lastBytes.length >= chunk.length) return done();
  const buf = chunk.subarray(0, chunk.length - this._lastBytes.length);
  this._countDataBytes(buf.length);
  if (!dataStream.writable) return done();
  if (dataStream.write(buf) || dataStream.destroyed) return done();
  // A stream that the application destroys never drains, it only closes.
  const onDrain = () => {
    dataStream.removeListener('drain', onDrain);
    dataStream.removeListener('close', onDrain);
    done();
  };
  dataStream.once('drain', onDrain);
  dataStream.once('close', onDrain);
}

prototype._feedDataStream = feedDataStream;
