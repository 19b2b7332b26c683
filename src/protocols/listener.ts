// TCP and implicit-TLS listeners shared by the IMAP and POP3 servers: the PROXY header of a trusted
// balancer, the per-IP connection cap (shared by all nodes), socket hand-off to a protocol session,
// and orderly close.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import pino, { type Logger } from 'pino';
import type { Authenticator } from './imap/backend.ts';
import type { LiveSessions } from '../core/liveSessions.ts';
import { networkMatcher, plainIp } from '../core/networks.ts';
import type { Metrics } from '../metrics.ts';
import { memorySlots, type ConnectionSlots } from '../state/connectionSlots.ts';
import { readProxyHeader } from './proxyProtocol.ts';

/** How a node's mail listeners meet the network: its balancers, shared caps and counters. */
export interface ListenerNetwork {
  /** CIDR blocks whose connections start with a PROXY header (POSTERN_TRUSTED_PROXIES). */
  trustedProxies: string[];
  /** Connection caps; shared by all nodes with Redis. */
  slots: ConnectionSlots;
  metrics?: Metrics;
}

export interface ListenerOptions {
  protocol: 'imap' | 'pop3';
  network?: ListenerNetwork;
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
  /** `ip` is the client's: the socket's peer, or the address a trusted proxy told. */
  onSocket(socket: net.Socket, secure: boolean, log: Logger, ip: string): void;
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
  network?: ListenerNetwork;
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
  /** Caps after login (per account and IP); shared by all nodes with Redis. */
  slots: ConnectionSlots;
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
    slots: options.network?.slots ?? memorySlots(),
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

const tlsHandshakeTimeoutMs = 30_000;

export async function startListeners(options: ListenerOptions): Promise<RunningListeners> {
  const network = options.network ?? { trustedProxies: [], slots: memorySlots() };
  const { metrics } = network;
  // Connections from these start with a PROXY header; anyone else could forge one.
  const fromTrustedProxy = networkMatcher(network.trustedProxies);
  const sockets = new Set<net.Socket>();
  let admitted = 0;
  const secureContext = options.tls ? tls.createSecureContext(options.tls) : undefined;

  const admit = async (socket: net.Socket, ip: string, secure: boolean) => {
    const log = options.log.child({ conn: randomBytes(6).toString('base64url'), ip });
    const release = await network.slots.acquire(`${options.protocol}:ip:${ip}`, options.maxConnectionsPerIp);
    if (!release) {
      log.warn('connection refused: too many from this address');
      metrics?.connectionsRefused.inc({ protocol: options.protocol, limit: 'ip' });
      socket.end(options.tooManyReply);
      return;
    }
    if (socket.destroyed) return release();
    metrics?.connections.inc({ protocol: options.protocol });
    admitted++;
    log.info({ secure }, 'connection opened');
    socket.once('close', () => {
      log.info('connection closed');
      admitted--;
      release();
      metrics?.connections.dec({ protocol: options.protocol });
    });
    options.onSocket(socket, secure, log, ip);
  };

  /** The client's address first (a trusted balancer's PROXY header), then TLS on the implicit-TLS port. */
  const accept = async (socket: net.Socket, implicitTls: boolean) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    // Replies go out in several writes; Nagle with delayed ACKs would hold each one ~40 ms.
    socket.setNoDelay(true);
    let ip = plainIp(socket.remoteAddress ?? '');
    if (fromTrustedProxy(socket.remoteAddress)) {
      const client = await readProxyHeader(socket).catch((err: Error) => {
        options.log.debug({ peer: socket.remoteAddress, err: err.message }, 'no usable PROXY header');
        socket.destroy();
        return null;
      });
      if (client === null) return;
      if (client) ip = plainIp(client.address);
    }
    if (!implicitTls || !secureContext) return admit(socket, ip, false);
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
    sockets.add(secure);
    secure.once('close', () => sockets.delete(secure));
    secure.on('error', () => secure.destroy());
    // tls.Server's own handshake timeout, which a socket wrapped by hand does not get.
    const timer = setTimeout(() => secure.destroy(), tlsHandshakeTimeoutMs);
    const handshaken = await new Promise<boolean>((resolve) => {
      secure.once('secure', () => resolve(true));
      secure.once('close', () => resolve(false));
    });
    clearTimeout(timer);
    if (handshaken) await admit(secure, ip, true);
  };

  // A connection's failure (Redis refusing its slot, say) ends that connection, never the node.
  const handle = (socket: net.Socket, implicitTls: boolean) =>
    void accept(socket, implicitTls).catch((err: unknown) => {
      options.log.error({ err }, 'connection failed');
      socket.destroy();
    });

  const servers: net.Server[] = [];
  const result: RunningListeners = {
    connections: () => admitted,
    async close() {
      const closed = servers.map((s) => new Promise((r) => s.close(() => r(null))));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
    },
  };
  try {
    if (options.port !== undefined) {
      const server = net.createServer((socket) => handle(socket, false));
      servers.push(server);
      result.port = await listen(server, options.port, options.host, options.settings?.[0] ?? 'port');
    }
    if (options.tlsPort !== undefined && options.tls) {
      const server = net.createServer((socket) => handle(socket, true));
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
