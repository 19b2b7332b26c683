// Text of a body part in its charset (GBK, GB18030, Big5, ISO-2022-JP...): the WHATWG decoders the
// runtime has, and libmime's (iconv-lite) for names they do not know, such as CP936 or CP850.
import { createDecodeStream, decode as iconvDecode } from 'libmime/lib/charset.js';

const utf8 = new TextDecoder('utf-8');

/** Text in its charset; an unknown charset or bad bytes is an encoding problem, shown as best it can be. */
export function decodeText(data: Uint8Array, charset: string | null): { value: string; problem: boolean } {
  const label = (charset ?? 'utf-8').trim().toLowerCase();
  // WHATWG reads "us-ascii" as windows-1252; mail labels UTF-8 text so, and 8-bit bytes in it are best read as UTF-8.
  const name = label === 'us-ascii' || label === 'ascii' || label === 'utf8' ? 'utf-8' : label;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name, { fatal: true });
  } catch {
    if (!createDecodeStream(name).supported) return { value: utf8.decode(data), problem: true };
    const value = iconvDecode(Buffer.from(data.buffer, data.byteOffset, data.byteLength), name);
    return { value, problem: value.includes('\uFFFD') };
  }
  try {
    return { value: decoder.decode(data), problem: false };
  } catch {
    return { value: (name === 'utf-8' ? utf8 : new TextDecoder(name)).decode(data), problem: true };
  }
}
