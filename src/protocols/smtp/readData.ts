import type { Readable } from 'node:stream';
import { sharedConcat } from '../../mail/sharedBytes.ts';
import { reply } from './replies.ts';

/**
 * The whole DATA as one buffer, in shared memory (the message workers check it there); past `max`
 * bytes the rest is drained and dropped, and the caller refuses the message, so no partial message
 * is ever stored. A connection lost mid-DATA rejects.
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
      resolve(size > max || stream.sizeExceeded ? undefined : sharedConcat(chunks));
    });
    stream.on('close', () => {
      if (!ended) reject(reply.connectionLost());
    });
  });
}
