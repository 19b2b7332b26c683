import type { Readable } from 'node:stream';
import { sharedConcat } from '../../mail/sharedBytes.ts';
import { reply } from './replies.ts';

/** Room in front of the message for the header lines the server puts on top (Received, Authentication-Results…). */
const traceRoom = 4096;

/**
 * The whole DATA as one buffer, in shared memory (the message workers check it there) with room in
 * front for the trace headers (sharedBytes.ts prepend); past `max` bytes the rest is drained and
 * dropped, and the caller refuses the message, so no partial message is ever stored. A connection
 * lost mid-DATA rejects.
 */
export function readData(stream: Readable & { sizeExceeded?: boolean }, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      ended = true;
      resolve(size > max || stream.sizeExceeded ? undefined : sharedConcat(chunks, traceRoom));
    });
    stream.on('close', () => {
      if (!ended) reject(reply.connectionLost());
    });
  });
}
