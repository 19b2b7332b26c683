import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { networkMatcher, plainIp } from '../../core/networks.ts';
import { readProxyHeader } from '../proxyProtocol.ts';
import { reply } from './replies.ts';

type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;
type Args = Record<string, unknown> | false | undefined;

const enhancedCode = /^[245]\.\d{1,3}\.\d{1,3} /;

/**
 * What smtp-server leaves to us, per connection:
 * - RFC 4954 §4: AUTH is not advertised before STARTTLS where STARTTLS is offered (587);
 * - replies that already carry their enhanced status code (ours) get no second one.
 */
function tidy(connection: Connection): void {
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    if (Array.isArray(data) && code === 250 && !connection.secure) data = data.filter((line) => !line.startsWith('AUTH '));
    if (typeof data === 'string' && enhancedCode.test(data)) return send(code, data, false);
    send(code, data, context);
  };
}

export function applyHygiene(server: SMTPServer): void {
  const add = server.connections.add.bind(server.connections);
  server.connections.add = (connection) => {
    tidy(connection);
    return add(connection);
  };
}

/** DSN is not offered, so its parameters are refused rather than silently dropped (RFC 3461, RFC 5321 §4.1.1.11). */
export function refuseDsnParams(args: Args, names: readonly string[]): Error | undefined {
  if (!args) return undefined;
  const given = names.find((n) => args[n] !== undefined);
  return given ? reply.unsupportedParam(given) : undefined;
}

type SocketOptions = { id: string; remoteAddress?: string; remotePort?: number };
type ProxyHandler = (socket: Socket, callback: (err: Error | null, options?: SocketOptions) => void) => void;

/**
 * PROXY protocol v1 and v2 from the trusted balancers only (smtp-server reads v1 from listed
 * addresses, no CIDR): the header is read where smtp-server would read its own, before the
 * implicit-TLS handshake, and the client it names becomes the session's remote address.
 */
export function acceptProxyHeaders(server: SMTPServer, trustedProxies: string[]): void {
  const internal = server as unknown as { _handleProxy: ProxyHandler };
  const plain = internal._handleProxy.bind(server);
  const fromTrustedProxy = networkMatcher(trustedProxies);
  internal._handleProxy = (socket, callback) => {
    if (!fromTrustedProxy(socket.remoteAddress)) return plain(socket, callback);
    readProxyHeader(socket).then(
      (client) => plain(socket, (err, options) => callback(err, client && options ? { ...options, remoteAddress: plainIp(client.address), remotePort: client.port } : options)),
      (err: Error) => {
        socket.destroy();
        callback(err);
      },
    );
  };
}
