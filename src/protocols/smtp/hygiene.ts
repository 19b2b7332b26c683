import type { SMTPServer } from 'smtp-server';
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
