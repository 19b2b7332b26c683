// The POP3 server: plain (STLS) and implicit-TLS listeners handing sockets to sessions.
import { t } from '../../i18n/index.ts';
import { protocolContext, startListeners, type ProtocolServerOptions, type RunningListeners } from '../listener.ts';
import type { Pop3Backend } from './backend.ts';
import { defaultPop3Limits, Pop3Session, type Pop3Limits } from './session.ts';

export type Pop3ServerOptions = ProtocolServerOptions<Pop3Backend, Pop3Limits>;

export async function startPop3Server(options: Pop3ServerOptions): Promise<RunningListeners> {
  const ctx = protocolContext(options, defaultPop3Limits);
  return startListeners({
    protocol: 'pop3',
    network: options.network,
    host: options.host,
    port: options.port,
    tlsPort: options.tlsPort,
    settings: ['POSTERN_POP3_PORT', 'POSTERN_POP3S_PORT'],
    tls: options.tls,
    maxConnectionsPerIp: ctx.limits.maxConnectionsPerIp,
    tooManyReply: `-ERR [SYS/TEMP] ${t('en', 'connectionLimits.tooManyFromAddress')}\r\n`,
    log: ctx.log.child({ protocol: 'pop3' }),
    onSocket: (socket, secure, log, ip) => new Pop3Session(socket, secure, ctx, log, ip).start(),
  });
}
