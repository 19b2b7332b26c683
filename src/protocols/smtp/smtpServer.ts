import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import './dataStreamSpeed.ts';
import type { Config } from '../../config.ts';
import type { AuthenticateClient } from '../../core/clientAuth.ts';
import type { LiveSessions } from '../../core/liveSessions.ts';
import type { Credential } from '../../core/revocation.ts';
import { PosternError } from '../../core/errors.ts';
import type { AccountRecord, AccountRepo, Clock, DnsResolve, SpamFilter } from '../../core/ports.ts';
import { checkSenderIdentity } from '../../core/senderIdentity.ts';
import { resolveRecipient } from '../../mail/dispatch.ts';
import { addTraceHeaders } from '../../mail/headers.ts';
import { receiveInbound } from '../../mail/inbound.ts';
import type { MailStore } from '../../mail/mailStore.ts';
import type { RelayQueue } from '../../mail/relayQueue.ts';
import { submitMessage } from '../../mail/submit.ts';
import type { TlsMaterial } from '../../tls.ts';
import { logLogin } from '../authReplies.ts';
import type { AutoReplies } from '../../mail/autoReply.ts';
import type { Metrics } from '../../metrics.ts';
import { acceptProxyHeaders, applyHygiene, refuseDsnParams } from './hygiene.ts';
import { readData } from './readData.ts';
import { reply, storeErrorReply } from './replies.ts';
import { warmWorkers } from '../../mail/workerPool.ts';

type SmtpMode = 'inbound' | 'submission' | 'smtps';

/** What the SMTP servers use of a running node. */
export interface SmtpDeps {
  config: Pick<Config, 'host' | 'mailHostname' | 'maxMessageBytes' | 'ports'>;
  /** Finds the local recipients. */
  accounts: AccountRepo;
  /** The addresses an account may send as (SPEC M6). */
  sendingAddresses(account: AccountRecord): Promise<string[]>;
  mail: MailStore;
  /** DNS of inbound mail authentication. */
  resolver: DnsResolve;
  /** rspamd, when configured. */
  spamFilter?: SpamFilter;
  /** Mail for other domains (submission only). */
  relay: RelayQueue;
  /** The vacation responses of the recipients. */
  autoReply: AutoReplies;
  /** The one client login check (SPEC E1–E4). */
  authenticate: AuthenticateClient;
  /** This node's live sessions, ended when their credential is revoked (SPEC X9). */
  live: LiveSessions;
  clock: Clock;
  log: Logger;
  tls: TlsMaterial;
  /** Idle time before a silent client is disconnected (one that never ends DATA, say). */
  socketTimeoutMs?: number;
  /** Balancers whose PROXY headers are believed (POSTERN_TRUSTED_PROXIES). */
  trustedProxies?: string[];
  metrics?: Metrics;
}

const maxRecipients = 100;

const sessionAccount = (session: SMTPServerSession) => session.user as AccountRecord | undefined;

/** Turns a promise into smtp-server's callback, mapping unexpected failures to a temporary error. */
function settle(work: Promise<string | void>, callback: (err?: Error | null, message?: string) => void, onError: (err: unknown) => Error): void {
  work.then(
    (message) => (message ? callback(null, message) : callback()),
    (err: unknown) => callback(err instanceof Error && 'responseCode' in err ? err : onError(err)),
  );
}

/**
 * The id in a message's Received line: the connection's (as its log lines carry) and the number of
 * the mail transaction on it, so that each message of a connection has its own.
 */
const traceId = (session: SMTPServerSession): string => `${session.id}T${session.transaction}`;

/** One of Postern's SMTP servers: inbound (for served domains, no AUTH) or submission (AUTH over TLS). */
export function createSmtpServer(mode: SmtpMode, deps: SmtpDeps): SMTPServer {
  const { config, relay, tls } = deps;
  const max = config.maxMessageBytes;
  const submission = mode !== 'inbound';
  const log = deps.log.child({ protocol: 'smtp', smtp: mode });
  // smtp-server gives every connection a random id: it ties a connection's lines together.
  const connectionLog = (session: SMTPServerSession) => log.child({ conn: session.id, ip: session.remoteAddress });
  const inboundDeps = { accounts: deps.accounts, mail: deps.mail, relay, log, autoReply: deps.autoReply, resolver: deps.resolver, hostname: config.mailHostname, spamFilter: deps.spamFilter };
  const dispatchDeps = { accounts: deps.accounts, mail: deps.mail, relay, log, autoReply: deps.autoReply, sendingAddresses: deps.sendingAddresses };
  // Submission sessions by smtp-server session id: ended with 421 when their credential is revoked (SPEC X9).
  const untrack = new Map<string, () => void>();
  const open = new Set<string>();
  const track = (session: SMTPServerSession, accountId: string, credential: Credential) => {
    const connection = [...server.connections].find((c: { session?: SMTPServerSession }) => c.session === session) as { send(code: number, text: string): void } | undefined;
    if (connection) untrack.set(session.id, deps.live.track(accountId, credential, (text) => connection.send(421, `4.7.0 ${text}`)));
  };
  const failure = (session: SMTPServerSession) => (err: unknown) => {
    if (!(err instanceof PosternError)) connectionLog(session).error({ err }, 'smtp command failed');
    return storeErrorReply(err, max);
  };

  async function onRcptTo(address: string, session: SMTPServerSession): Promise<void> {
    const r = await resolveRecipient(dispatchDeps, address);
    if (r.kind === 'invalid') throw reply.badAddress();
    if (r.kind === 'unknown') throw reply.unknownUser();
    if (r.kind === 'remote') {
      if (!submission) throw reply.relayDenied();
      if (!relay.enabled) throw reply.noRelayConfigured();
      return;
    }
    const declared = Number(session.envelope.mailFrom && session.envelope.mailFrom.args ? session.envelope.mailFrom.args.SIZE : 0) || 0;
    if (!(await deps.mail.hasRoom(r.account, declared))) throw reply.quota();
  }

  /** Refused at MAIL FROM already; the headers are checked with the message at the end of DATA. */
  async function checkEnvelopeSender(address: string, session: SMTPServerSession): Promise<void> {
    const account = sessionAccount(session);
    if (!account) throw reply.senderNotOwned(address);
    checkSenderIdentity({ envelopeFrom: address, from: [], sender: [] }, await deps.sendingAddresses(account));
  }

  async function onData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const raw = await readData(stream, max);
    if (!raw) throw reply.tooBig(max);
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const recipients = session.envelope.rcptTo.map((r) => r.address);
    const trace = { clientHostname: session.hostNameAppearsAs, remoteAddress: session.remoteAddress, hostname: config.mailHostname, protocol: session.transmissionType, id: traceId(session), now: deps.clock.now(), recipients };
    const account = sessionAccount(session);
    const sent = account
      ? await submitMessage(dispatchDeps, { account, envelopeFrom: mailFrom, recipients, message: addTraceHeaders(raw, trace, true) })
      : await receiveInbound(inboundDeps, { ip: session.remoteAddress, helo: session.hostNameAppearsAs, mailFrom, recipients }, trace, raw);
    return `2.0.0 Ok: ${sent.local + sent.remote} recipient(s) accepted`;
  }

  const options: SMTPServerOptions = {
    name: config.mailHostname,
    banner: 'Postern',
    hideENHANCEDSTATUSCODES: false,
    authRequiredMessage: reply.authRequired,
    size: max,
    key: tls.key,
    cert: tls.cert,
    secure: mode === 'smtps',
    disableReverseLookup: true,
    maxRecipients,
    socketTimeout: deps.socketTimeoutMs ?? 5 * 60_000,
    closeTimeout: 2000,
    logger: false,
    ...(submission ? { authMethods: ['PLAIN', 'LOGIN'] } : { authOptional: true, disabledCommands: ['AUTH'] }),
    onConnect(session, callback) {
      connectionLog(session).info({ secure: session.secure }, 'connection opened');
      open.add(session.id);
      deps.metrics?.connections.inc({ protocol: 'smtp' });
      void warmWorkers();
      callback();
    },
    onClose(session) {
      if (open.delete(session.id)) deps.metrics?.connections.dec({ protocol: 'smtp' });
      untrack.get(session.id)?.();
      untrack.delete(session.id);
      connectionLog(session).info('connection closed');
    },
    onAuth(auth, session, callback) {
      const username = auth.username ?? '';
      if (auth.method !== 'PLAIN' && auth.method !== 'LOGIN') {
        logLogin(connectionLog(session), username, { ok: false, reason: 'unsupported_mechanism' });
        return callback(reply.auth('invalid'));
      }
      deps
        .authenticate({ protocol: 'smtp', username, password: auth.password ?? '', remoteIp: session.remoteAddress })
        .then(
          (r) => {
            logLogin(connectionLog(session), username, r);
            if (!r.ok) return callback(reply.auth(r.reason));
            track(session, r.account.id, r.credential);
            callback(null, { user: r.account });
          },
          (err: unknown) => callback(failure(session)(err)),
        );
    },
    onMailFrom(address, session, callback) {
      const refused = refuseDsnParams(address.args, ['RET', 'ENVID']);
      if (refused || !submission) return callback(refused);
      if (!address.address) return callback(reply.nullSender());
      settle(checkEnvelopeSender(address.address, session), callback, failure(session));
    },
    onRcptTo(address, session, callback) {
      const refused = refuseDsnParams(address.args, ['NOTIFY', 'ORCPT']);
      if (refused) return callback(refused);
      settle(onRcptTo(address.address, session), callback, failure(session));
    },
    onData(stream, session, callback) {
      settle(onData(stream, session), callback, (err) => {
        stream.resume();
        return failure(session)(err);
      });
    },
  };
  const server = new SMTPServer(options);
  applyHygiene(server);
  acceptProxyHeaders(server, deps.trustedProxies ?? []);
  // TLS garbage, resets and timeouts are the client's problem: logged, never fatal.
  server.on('error', (err) => log.debug({ err }, 'smtp connection error'));
  return server;
}

export function listenSmtp(server: SMTPServer, port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.code === 'EACCES' ? 'no permission to listen on this port' : err.message;
      reject(Object.assign(new Error(`${setting}=${port}: ${why}`), { name: 'StartupError' }));
    };
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

export function closeSmtp(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
