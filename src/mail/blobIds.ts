import { createHash } from 'node:crypto';

/** A blob's id: the SHA-256 of its bytes, in hex (stored bytes never change, and equal bytes are stored once). */
export const blobIdOf = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
