// IMAP and POP3 for a running Postern: both servers over the mail store, logins through clientAuth.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { AuthenticateClient } from '../core/clientAuth.ts';
import type { MailStore } from '../mail/mailStore.ts';
import type { TlsMaterial } from '../tls.ts';
import type { LiveSessions } from '../core/liveSessions.ts';
import type { Authenticator } from './imap/backend.ts';
import { startImapServer } from './imap/server.ts';
import type { ListenerNetwork, RunningListeners } from './listener.ts';
import { MailStoreBackend } from './mailStoreBackend.ts';
import { startPop3Server } from './pop3/server.ts';

export interface RunningMailAccess {
  ports: { imap: number; imaps: number; pop3: number; pop3s: number };
  close(): Promise<void>;
}

/** What IMAP and POP3 use of a running node. */
export interface MailAccessDeps {
  config: Pick<Config, 'host' | 'mailHostname' | 'maxMessageBytes' | 'ports' | 'mailAccess'>;
  mail: MailStore;
  /** The one client login check (SPEC E1–E4). */
  authenticate: AuthenticateClient;
  log: Logger;
  tls: TlsMaterial;
  /** This node's live sessions, ended when their credential is revoked (SPEC X9). */
  live: LiveSessions;
  /** Trusted balancers (PROXY protocol), connection caps shared by the nodes, metrics. */
  network?: ListenerNetwork;
}

export async function startMailAccess(deps: MailAccessDeps): Promise<RunningMailAccess> {
  const { config, tls } = deps;
  const backend = new MailStoreBackend(deps.mail);
  const authenticate: Authenticator = async (protocol, username, password, remoteIp) => {
    const result = await deps.authenticate({ protocol, username, password, remoteIp });
    return result.ok ? { ok: true, accountId: result.account.id, credential: result.credential } : { ok: false, reason: result.reason };
  };
  const limits = { maxConnectionsPerIp: config.mailAccess.connectionsPerIp, maxConnectionsPerUserIp: config.mailAccess.connectionsPerUserIp, authFailureDelayMs: config.mailAccess.authFailureDelayMs, maxLiteralBytes: config.maxMessageBytes };
  const common = { backend, authenticate, log: deps.log, host: config.host, hostname: config.mailHostname, tls: { cert: tls.cert, key: tls.key }, live: deps.live, network: deps.network };
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
