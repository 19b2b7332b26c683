/**
 * The pieces as one buffer in shared memory: the message workers read it where it is
 * (workerPool.ts) instead of each job copying it, and a delivery allocates its 100 KB once rather
 * than once per copy, which is what set V8's collector off several times a second. Never written
 * after it is made.
 */
export function sharedConcat(pieces: readonly Uint8Array[]): Buffer {
  const out = Buffer.from(new SharedArrayBuffer(pieces.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
