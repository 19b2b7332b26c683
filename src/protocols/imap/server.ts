// The IMAP server: plain (STARTTLS) and implicit-TLS listeners handing sockets to sessions.
import { t } from '../../i18n/index.ts';
import { protocolContext, startListeners, type ProtocolServerOptions, type RunningListeners } from '../listener.ts';
import type { ImapBackend } from './backend.ts';
import { defaultImapLimits, ImapSession, type ImapLimits } from './session.ts';

export type ImapServerOptions = ProtocolServerOptions<ImapBackend, ImapLimits>;

export async function startImapServer(options: ImapServerOptions): Promise<RunningListeners> {
  const ctx = protocolContext(options, defaultImapLimits);
  return startListeners({
    protocol: 'imap',
    network: options.network,
    host: options.host,
    port: options.port,
    tlsPort: options.tlsPort,
    settings: ['POSTERN_IMAP_PORT', 'POSTERN_IMAPS_PORT'],
    tls: options.tls,
    maxConnectionsPerIp: ctx.limits.maxConnectionsPerIp,
    tooManyReply: `* BYE ${t('en', 'connectionLimits.tooManyFromAddress')}\r\n`,
    log: ctx.log.child({ protocol: 'imap' }),
    onSocket: (socket, secure, log, ip) => new ImapSession(socket, secure, ctx, log, ip).start(),
  });
}
