// The IMAP server: plain (STARTTLS) and implicit-TLS listeners handing sockets to sessions.
import tls from 'node:tls';
import { startListeners, type RunningListeners, type TlsFiles } from '../listener.ts';
import type { Authenticator, ImapBackend } from './backend.ts';
import { defaultImapLimits, ImapSession, type ImapContext, type ImapLimits } from './session.ts';

export interface ImapServerOptions {
  backend: ImapBackend;
  authenticate: Authenticator;
  host: string;
  port?: number;
  tlsPort?: number;
  hostname: string;
  tls?: TlsFiles;
  allowPlaintextAuth?: boolean;
  limits?: Partial<ImapLimits>;
}

export async function startImapServer(options: ImapServerOptions): Promise<RunningListeners> {
  const ctx: ImapContext = {
    backend: options.backend,
    authenticate: options.authenticate,
    hostname: options.hostname,
    secureContext: options.tls ? tls.createSecureContext(options.tls) : undefined,
    allowPlaintextAuth: options.allowPlaintextAuth ?? false,
    limits: { ...defaultImapLimits, ...options.limits },
  };
  return startListeners({
    host: options.host,
    port: options.port,
    tlsPort: options.tlsPort,
    settings: ['POSTERN_IMAP_PORT', 'POSTERN_IMAPS_PORT'],
    tls: options.tls,
    maxConnectionsPerIp: ctx.limits.maxConnectionsPerIp,
    tooManyReply: '* BYE Too many connections from your address\r\n',
    onSocket: (socket, secure) => new ImapSession(socket, secure, ctx).start(),
  });
}
