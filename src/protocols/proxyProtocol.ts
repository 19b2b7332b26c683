// The PROXY protocol (HAProxy's proxy-protocol.txt, v1 text and v2 binary) on the mail listeners:
// a TCP balancer in front of several nodes tells each connection's real client address in a header
// sent before anything else. Believed only from POSTERN_TRUSTED_PROXIES; anyone else could forge it.
import { isIP, type Socket } from 'node:net';

const v2Signature = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const v1MaxBytes = 107;
export const proxyHeaderTimeoutMs = 5000;

export interface ProxiedClient {
  address: string;
  port: number;
}

type Parsed = { done: false } | { done: true; length: number; client: ProxiedClient | undefined };

function parseV1(buf: Buffer): Parsed {
  const end = buf.indexOf('\r\n');
  if (end < 0) {
    if (buf.length >= v1MaxBytes) throw new Error('PROXY v1 header too long');
    return { done: false };
  }
  const [word, family, source, , sourcePort] = buf.subarray(0, end).toString('latin1').split(' ');
  if (word !== 'PROXY') throw new Error('not a PROXY header');
  const length = end + 2;
  if (family === 'UNKNOWN') return { done: true, length, client: undefined };
  if ((family !== 'TCP4' || isIP(source) !== 4) && (family !== 'TCP6' || isIP(source) !== 6)) throw new Error('bad PROXY v1 address');
  return { done: true, length, client: { address: source, port: Number(sourcePort) || 0 } };
}

function parseV2(buf: Buffer): Parsed {
  if (buf.length < 16) return { done: false };
  const length = 16 + buf.readUInt16BE(14);
  if (buf.length < length) return { done: false };
  const version = buf[12] >> 4;
  const command = buf[12] & 0x0f;
  if (version !== 2) throw new Error('bad PROXY v2 version');
  // LOCAL: the proxy's own connection (a health check); the peer is the proxy itself.
  if (command === 0) return { done: true, length, client: undefined };
  const family = buf[13] >> 4;
  const body = buf.subarray(16, length);
  if (family === 1 && body.length >= 12) return { done: true, length, client: { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) } };
  if (family === 2 && body.length >= 36) {
    const groups = Array.from({ length: 8 }, (_, i) => body.readUInt16BE(i * 2).toString(16));
    // The URL parser writes an IPv6 address in its short form.
    const address = new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
    return { done: true, length, client: { address, port: body.readUInt16BE(32) } };
  }
  return { done: true, length, client: undefined };
}

function parse(buf: Buffer): Parsed {
  const prefix = Math.min(buf.length, v2Signature.length);
  if (buf.subarray(0, prefix).equals(v2Signature.subarray(0, prefix))) return prefix < v2Signature.length ? { done: false } : parseV2(buf);
  return parseV1(buf);
}

/**
 * Reads the PROXY header off `socket`, leaving whatever follows it (the client's first bytes, a
 * TLS ClientHello) unread. Resolves with the client, or undefined for a header that names none
 * (LOCAL, UNKNOWN); rejects on a malformed header, a close, or no header within 5 s.
 */
export function readProxyHeader(socket: Socket, timeoutMs = proxyHeaderTimeoutMs): Promise<ProxiedClient | undefined> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const finish = (err: Error | null, client?: ProxiedClient) => {
      clearTimeout(timer);
      socket.off('readable', onReadable).off('close', onClose).off('error', onClose);
      if (err) reject(err);
      else resolve(client);
    };
    const onClose = () => finish(new Error('closed before the PROXY header'));
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        buf = Buffer.concat([buf, chunk]);
        let parsed: Parsed;
        try {
          parsed = parse(buf);
        } catch (err) {
          return finish(err as Error);
        }
        if (!parsed.done) continue;
        if (buf.length > parsed.length) socket.unshift(buf.subarray(parsed.length));
        return finish(null, parsed.client);
      }
    };
    const timer = setTimeout(() => finish(new Error('no PROXY header in time')), timeoutMs);
    socket.on('readable', onReadable).on('close', onClose).on('error', onClose);
  });
}
