// TCP and implicit-TLS listeners shared by the IMAP and POP3 servers: per-IP connection limit,
// socket hand-off to a protocol session, and orderly close.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import pino, { type Logger } from 'pino';
import type { Authenticator } from './imap/backend.ts';
import type { LiveSessions } from '../core/liveSessions.ts';

export interface ListenerOptions {
  host: string;
  /** Plain port (STARTTLS/STLS offered when TLS is configured); undefined: no plain listener. */
  port?: number;
  /** Setting names for startup errors, e.g. ["POSTERN_IMAP_PORT", "POSTERN_IMAPS_PORT"]. */
  settings?: [string, string];
  /** Implicit TLS port; needs `tls`. */
  tlsPort?: number;
  tls?: TlsFiles;
  maxConnectionsPerIp: number;
  /** Line sent before closing a connection over the per-IP limit. */
  tooManyReply: string;
  /** Connections are logged here; each session gets a child with the connection's id and IP. */
  log: Logger;
  onSocket(socket: net.Socket, secure: boolean, log: Logger): void;
}

/** PEM certificate chain and key. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** What an IMAP or POP3 server is started with; `limits` override the protocol's defaults. */
export interface ProtocolServerOptions<Backend, Limits> {
  backend: Backend;
  authenticate: Authenticator;
  host: string;
  port?: number;
  tlsPort?: number;
  hostname: string;
  tls?: TlsFiles;
  allowPlaintextAuth?: boolean;
  limits?: Partial<Limits>;
  /** Where logged-in sessions register, to be ended when their credential is revoked. */
  live?: LiveSessions;
  /** Connections, logins and server errors; silent when left out. */
  log?: Logger;
}

/** The context every session of one IMAP or POP3 server shares. */
export interface ProtocolContext<Backend, Limits> {
  backend: Backend;
  authenticate: Authenticator;
  hostname: string;
  secureContext?: tls.SecureContext;
  /** Accept logins on a connection without TLS (only when no TLS is configured). */
  allowPlaintextAuth: boolean;
  limits: Limits;
  live?: LiveSessions;
  log: Logger;
}

export function protocolContext<Backend, Limits>(options: ProtocolServerOptions<Backend, Limits>, defaults: Limits): ProtocolContext<Backend, Limits> {
  return {
    backend: options.backend,
    authenticate: options.authenticate,
    hostname: options.hostname,
    secureContext: options.tls ? tls.createSecureContext(options.tls) : undefined,
    allowPlaintextAuth: options.allowPlaintextAuth ?? false,
    limits: { ...defaults, ...options.limits },
    live: options.live,
    log: options.log ?? pino({ level: 'silent' }),
  };
}

export interface RunningListeners {
  port?: number;
  tlsPort?: number;
  connections(): number;
  close(): Promise<void>;
}

async function listen(server: net.Server, port: number, host: string, setting: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.code === 'EACCES' ? 'no permission to listen on this port' : err.message;
      reject(Object.assign(new Error(`${setting}=${port}: ${why}`), { name: 'StartupError' }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

export async function startListeners(options: ListenerOptions): Promise<RunningListeners> {
  const perIp = new Map<string, number>();
  const sockets = new Set<net.Socket>();

  const admit = (socket: net.Socket, secure: boolean) => {
    const ip = socket.remoteAddress ?? '';
    const count = (perIp.get(ip) ?? 0) + 1;
    const log = options.log.child({ conn: randomBytes(6).toString('base64url'), ip });
    socket.on('error', () => {});
    // Replies go out in several writes; Nagle with delayed ACKs would hold each one ~40 ms.
    socket.setNoDelay(true);
    if (count > options.maxConnectionsPerIp) {
      log.warn('connection refused: too many from this address');
      socket.end(options.tooManyReply);
      return;
    }
    perIp.set(ip, count);
    sockets.add(socket);
    log.info({ secure }, 'connection opened');
    socket.once('close', () => {
      log.info('connection closed');
      sockets.delete(socket);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    options.onSocket(socket, secure, log);
  };

  const servers: net.Server[] = [];
  const result: RunningListeners = {
    connections: () => sockets.size,
    async close() {
      const closed = servers.map((s) => new Promise((r) => s.close(() => r(null))));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
  try {
    if (options.port !== undefined) {
      const server = net.createServer((socket) => admit(socket, false));
      servers.push(server);
      result.port = await listen(server, options.port, options.host, options.settings?.[0] ?? 'port');
    }
    if (options.tlsPort !== undefined && options.tls) {
      const server = tls.createServer({ cert: options.tls.cert, key: options.tls.key }, (socket) => admit(socket, true));
      server.on('tlsClientError', () => {});
      servers.push(server);
      result.tlsPort = await listen(server, options.tlsPort, options.host, options.settings?.[1] ?? 'TLS port');
    }
  } catch (err) {
    await result.close();
    throw err;
  }
  return result;
}

/** Upgrades a plain socket in place (STARTTLS / STLS); data already read must have been discarded. */
export function upgradeToTls(socket: net.Socket, secureContext: tls.SecureContext): tls.TLSSocket {
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
  secure.on('error', () => socket.destroy());
  return secure;
}
