// The POP3 server: plain (STLS) and implicit-TLS listeners handing sockets to sessions.
import tls from 'node:tls';
import type { Authenticator } from '../imap/backend.ts';
import { startListeners, type RunningListeners, type TlsFiles } from '../listener.ts';
import type { Pop3Backend } from './backend.ts';
import { defaultPop3Limits, Pop3Session, type Pop3Limits } from './session.ts';

export interface Pop3ServerOptions {
  backend: Pop3Backend;
  authenticate: Authenticator;
  host: string;
  port?: number;
  tlsPort?: number;
  hostname: string;
  tls?: TlsFiles;
  allowPlaintextAuth?: boolean;
  limits?: Partial<Pop3Limits>;
}

export async function startPop3Server(options: Pop3ServerOptions): Promise<RunningListeners> {
  const ctx = {
    backend: options.backend,
    authenticate: options.authenticate,
    hostname: options.hostname,
    secureContext: options.tls ? tls.createSecureContext(options.tls) : undefined,
    allowPlaintextAuth: options.allowPlaintextAuth ?? false,
    limits: { ...defaultPop3Limits, ...options.limits },
  };
  return startListeners({
    host: options.host,
    port: options.port,
    tlsPort: options.tlsPort,
    settings: ['POSTERN_POP3_PORT', 'POSTERN_POP3S_PORT'],
    tls: options.tls,
    maxConnectionsPerIp: ctx.limits.maxConnectionsPerIp,
    tooManyReply: '-ERR Too many connections from your address\r\n',
    onSocket: (socket, secure) => new Pop3Session(socket, secure, ctx).start(),
  });
}
