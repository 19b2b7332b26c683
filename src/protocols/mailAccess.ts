// IMAP and POP3 for a running Postern: both servers over the mail store, logins through clientAuth.
import type { Context } from '../context.ts';
import type { TlsMaterial } from '../tls.ts';
import type { Authenticator } from './imap/backend.ts';
import { startImapServer } from './imap/server.ts';
import type { RunningListeners } from './listener.ts';
import { MailStoreBackend } from './mailStoreBackend.ts';
import { startPop3Server } from './pop3/server.ts';

export interface RunningMailAccess {
  ports: { imap: number; imaps: number; pop3: number; pop3s: number };
  close(): Promise<void>;
}


export async function startMailAccess(ctx: Context, tls: TlsMaterial): Promise<RunningMailAccess> {
  const { config } = ctx;
  const backend = new MailStoreBackend(ctx.mail);
  const authenticate: Authenticator = async (protocol, username, password, remoteIp) => {
    const result = await ctx.authenticateClient({ protocol, username, password, remoteIp });
    return result.ok ? { ok: true, accountId: result.account.id, credential: result.credential } : { ok: false, reason: result.reason };
  };
  const limits = { maxConnectionsPerIp: config.mailAccess.connectionsPerIp, authFailureDelayMs: config.mailAccess.authFailureDelayMs, maxLiteralBytes: config.maxMessageBytes };
  const common = { backend, authenticate, host: config.host, hostname: config.mailHostname, tls: { cert: tls.cert, key: tls.key }, live: ctx.liveSessions };
  const started: RunningListeners[] = [];
  const close = async () => {
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    const imap = await startImapServer({ ...common, port: config.ports.imap, tlsPort: config.ports.imaps, limits });
    started.push(imap);
    const pop3 = await startPop3Server({ ...common, port: config.ports.pop3, tlsPort: config.ports.pop3s, limits });
    started.push(pop3);
    return { ports: { imap: imap.port!, imaps: imap.tlsPort!, pop3: pop3.port!, pop3s: pop3.tlsPort! }, close };
  } catch (err) {
    await close();
    throw err;
  }
}

