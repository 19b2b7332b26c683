// A worker thread of src/mail/parsing.ts: parses the messages it is sent, one reply each.
import { parentPort } from 'node:worker_threads';
import { parseHere } from './parsing.ts';

parentPort!.on('message', async ({ id, raw }: { id: number; raw: Uint8Array }) => {
  parentPort!.postMessage({ id, parsed: await parseHere(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)) });
});
