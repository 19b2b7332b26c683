/** Bytes left free in front of a shared buffer's content, by buffer: the trace headers go there. */
const room = new WeakMap<SharedArrayBuffer, number>();

/**
 * The pieces as one buffer in shared memory: the message workers read it where it is
 * (workerPool.ts) instead of each job copying it, and a delivery allocates its 100 KB once rather
 * than once per copy, which is what set V8's collector off several times a second. Never written
 * after it is made, except in the `headroom` bytes left in front of it (see `prepend`).
 */
export function sharedConcat(pieces: readonly Uint8Array[], headroom = 0): Buffer {
  const size = pieces.reduce((n, p) => n + p.length, 0);
  const memory = new SharedArrayBuffer(headroom + size);
  if (headroom > 0) room.set(memory, headroom);
  const out = Buffer.from(memory, headroom, size);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** The bytes free in front of `raw`, for a worker that writes our header lines there (`lendRoom`). */
export function roomIn(raw: Buffer): number {
  const memory = raw.buffer;
  return memory instanceof SharedArrayBuffer && room.get(memory) === raw.byteOffset ? raw.byteOffset : 0;
}

/**
 * In a worker: the `bytes` in front of `raw` are free, as on the thread that lent them. That thread
 * then writes the same header lines there again, the same bytes, and only then hands the copy out.
 */
export function lendRoom(raw: Buffer, bytes: number): void {
  if (bytes > 0 && raw.buffer instanceof SharedArrayBuffer && raw.byteOffset === bytes) room.set(raw.buffer, bytes);
}

/**
 * `top` and then `raw`, in shared memory: written into the room left in front of `raw` when it has
 * that much (no copy of the message, and no second one in memory), else a new buffer. What was
 * handed out before is unchanged: only bytes in front of every view made so far are written.
 */
export function prepend(top: Buffer, raw: Buffer): Buffer {
  const memory = raw.buffer;
  // The room is free while `raw` still starts where it ends.
  const free = raw.byteOffset;
  if (!(memory instanceof SharedArrayBuffer) || room.get(memory) !== free || top.length > free) return sharedConcat([top, raw]);
  room.set(memory, free - top.length);
  const out = Buffer.from(memory, free - top.length, top.length + raw.length);
  out.set(top, 0);
  return out;
}
