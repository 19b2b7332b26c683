import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { join } from 'node:path';
import { Accounts } from './core/accounts.ts';
import { AppPasswords } from './core/appPasswords.ts';
import { clientAuthenticator, type AuthenticateClient } from './core/clientAuth.ts';
import { rememberedClientLogins } from './core/rememberedLogins.ts';
import { Sessions } from './core/sessions.ts';
import { DeviceCookies } from './core/deviceCookies.ts';
import { Lockout } from './core/lockout.ts';
import { StepUp } from './core/stepUp.ts';
import { Revocations } from './core/revocation.ts';
import { revocationLog } from './store/revocationLog.ts';
import { liveSessions, type LiveSessions } from './core/liveSessions.ts';
import { loadSecrets, prepareDataDir, type Secrets } from './dataDir.ts';
import { Emails } from './mail/emails.ts';
import { SearchIndexer } from './mail/searchIndexer.ts';
import { AutoReplies } from './mail/autoReply.ts';
import { MailSettings } from './mail/mailSettings.ts';
import { mailSettingsRepo } from './store/mailSettingsRepo.ts';
import { createLogger } from './log.ts';
import { MailStore } from './mail/mailStore.ts';
import { RelayQueue } from './mail/relayQueue.ts';
import { createBus, type Bus } from './state/bus.ts';
import { accountRepo } from './store/accountRepo.ts';
import { appPasswordRepo } from './store/appPasswordRepo.ts';
import { databaseBlobStore, fileBlobStore, mixedBlobStore } from './store/blobs.ts';
import { Audit } from './core/audit.ts';
import { MethodRegistry } from './core/methods.ts';
import { systemClock, type Clock, type DnsResolve, type RateLimiter, type SpamFilter, type TwoFactorState } from './core/ports.ts';
import { systemResolver } from './providers/dns.ts';
import { rspamdFilter } from './providers/rspamd.ts';
import { SecretBox } from './core/secretBox.ts';
import { DkimKeys } from './core/dkimKeys.ts';
import { domainSigner } from './mail/dkimSign.ts';
import { dkimKeyRepo } from './store/dkimKeyRepo.ts';
import { TotpMethod } from './core/totp.ts';
import { RecoveryCodesMethod } from './core/recoveryCodes.ts';
import { WebAuthnMethod } from './core/webauthn.ts';
import { PasskeySignIn } from './core/passkeySignIn.ts';
import { backupEmailMethod } from './core/backupEmail.ts';
import { CodeSender } from './core/codeSender.ts';
import { smsMethod } from './core/sms.ts';
import { resendClaimRepo } from './store/resendClaimRepo.ts';
import { sendCountRepo } from './store/sendCountRepo.ts';
import { TrustedDevices } from './core/trustedDevices.ts';
import { TwoFactor } from './core/twoFactor.ts';
import { LoginFlow } from './core/loginFlow.ts';
import { newDevices } from './core/newDevices.ts';
import { TwoFactorPolicy } from './core/twoFactorPolicy.ts';
import { Admin } from './core/admin.ts';
import { policyRepo } from './store/policyRepo.ts';
import { aliasRepo } from './store/aliasRepo.ts';
import { accountSearch, adminStats, auditQuery } from './store/adminQueries.ts';
import { SecurityNotices } from './core/securityNotices.ts';
import { SideEffects } from './core/sideEffects.ts';
import { sideEffectRepo } from './store/sideEffectRepo.ts';
import { composeMail } from './mail/compose.ts';
import { Verifications } from './core/verifications.ts';
import { redisRateLimiter } from './state/redisRateLimiter.ts';
import { redisClient, type RedisWatch } from './state/redisClient.ts';
import { fallbackLimiter } from './state/fallbackLimiter.ts';
import { memorySlots, redisSlots, type ConnectionSlots } from './state/connectionSlots.ts';
import { countedLogins, createMetrics, type Metrics } from './metrics.ts';
import { auditRepo } from './store/auditRepo.ts';
import { factorRepo } from './store/factorRepo.ts';
import { passkeyChallengeRepo } from './store/passkeyChallengeRepo.ts';
import { databaseRateLimiter } from './store/rateLimitRepo.ts';
import { jobLeases, type JobLeases } from './store/jobLeases.ts';
import { trustedDeviceRepo } from './store/trustedDeviceRepo.ts';
import { verificationRepo } from './store/verificationRepo.ts';
import { migrate, openStore, type Store } from './store/db.ts';
import { emailRepo } from './store/emailRepo.ts';
import { searchBacklogRepo } from './store/searchIndex.ts';
import { mailRepo } from './store/mailRepo.ts';
import { outboundRepo } from './store/outboundRepo.ts';
import { sessionRepo } from './store/sessionRepo.ts';
import { devOutboxRepo } from './store/devOutboxRepo.ts';
import type { DevOutbox, MailOut, SmsProvider } from './core/messagePorts.ts';
import { createMailOut } from './providers/mailOut.ts';
import { createSmsProvider } from './providers/sms/index.ts';
import { describeUserAgent } from './providers/userAgent.ts';
import { renderSecurityNotice } from './mail/templates/securityNotice.ts';
import { verificationMessages } from './mail/templates/verificationMail.ts';
import { createWechatProvider } from './providers/wechat/index.ts';
import type { WechatProvider } from './core/wechatPorts.ts';
import { WechatMethod } from './core/wechat.ts';
import { WechatApprovals } from './core/wechatApprovals.ts';
import { wechatRepo } from './store/wechatRepo.ts';

/** Message bytes up to this size are kept in the database with POSTERN_BLOB_STORE=files too (store/blobs.ts mixedBlobStore). */
const smallBlobBytes = 1024 * 1024;

/** Everything a running Postern shares: config, store, secrets and the core services built on them. */
export interface Context {
  config: Config;
  store: Store;
  secrets: Secrets;
  clock: Clock;
  log: Logger;
  accounts: Accounts;
  bus: Bus;
  mail: MailStore;
  /** DNS of inbound mail authentication (SPF, DKIM, DMARC, ARC), with a timeout. */
  resolver: DnsResolve;
  /** rspamd when POSTERN_RSPAMD_URL is set. */
  spamFilter?: SpamFilter;
  /** Per-domain DKIM keys; the relay queue signs with them. */
  dkim: DkimKeys;
  /** The account-wide Email view over the mail store (JMAP, webmail). */
  emails: Emails;
  /** Writes the full-text index of stored Emails, in the background and before a search. */
  searchIndexer: SearchIndexer;
  /** Identities and vacation response of each account (JMAP, webmail). */
  mailSettings: MailSettings;
  /** Vacation responses sent on delivery. */
  autoReply: AutoReplies;
  /** Mail for other domains, persisted and handed to POSTERN_SMTP_RELAY_URL with retries. */
  relay: RelayQueue;
  appPasswords: AppPasswords;
  /** Password-guess lockout of web and client logins (SPEC X10). */
  lockout: Lockout;
  /** Sudo mode for sensitive actions (SPEC X9). */
  stepUp: StepUp;
  /** Revoked credentials, told to every node over the bus and read from the database by nodes that missed it (SPEC X9). */
  revocations: Revocations;
  /** This node's logged-in IMAP, POP3 and SMTP sessions, ended when their credential is revoked. */
  liveSessions: LiveSessions;
  /** The one login check of IMAP, POP3, SMTP and JMAP (SPEC E1–E4); JMAP repeats are remembered for seconds (core/rememberedLogins.ts). */
  authenticateClient: AuthenticateClient;
  sessions: Sessions;
  audit: Audit;
  /** Second-step methods; further methods register here at start-up. */
  methods: MethodRegistry;
  /** Shared by all nodes: Redis when configured (the database while Redis is away), else the database. */
  limiter: RateLimiter;
  /** Mail connection caps: shared by all nodes with Redis (this node's own while Redis is away). */
  slots: ConnectionSlots;
  /** This node's Prometheus registry (GET /metrics). */
  metrics: Metrics;
  /** Leases of periodic jobs that one node at a time runs. */
  jobs: JobLeases;
  twoFactor: TwoFactor;
  /** The one way a browser signs in (SPEC C1–C8). */
  login: LoginFlow;
  /** 2FA required per domain with a grace period, exemptions (SPEC X5). */
  policy: TwoFactorPolicy;
  /** The admin console's actions, for the web and the CLI (SPEC X5, X12). */
  admin: Admin;
  /** Mails the owner about security changes and new-device sign-ins (SPEC X4). */
  notices: SecurityNotices;
  /** Notices and code messages written with their change, sent by whichever node claims them. */
  effects: SideEffects;
  trustedDevices: TrustedDevices;
  /** Development mode's kept mail and text messages; the mail-out and SMS emulator write here. */
  outbox: DevOutbox;
  mailOut: MailOut;
  sms: SmsProvider;
  /** WeChat (official or emulator) and the phone's side of its QR approvals. */
  wechat: { provider: WechatProvider; approvals: WechatApprovals };
  close(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema (tests). */
  schema?: string;
  /** Tests: stands in for the 2FA core when client logins ask whether 2FA is on. */
  twoFactor?: TwoFactorState;
  /** Tests and benchmarks: DNS answered from fixed records. */
  resolver?: DnsResolve;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  prepareDataDir(config);
  const secrets = loadSecrets(config);
  const log = options.log ?? createLogger(config);
  const metrics = createMetrics();
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: options.schema,
    onConnectionFault: (err) => {
      metrics.databaseFaults.inc();
      log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost or refused');
    },
  });
  const clock = options.clock ?? systemClock;
  const outbox = devOutboxRepo(store.db);
  let sms: SmsProvider;
  let wechatProvider: WechatProvider;
  try {
    await migrate(store);
    sms = createSmsProvider(config, outbox, clock);
    wechatProvider = createWechatProvider(config);
  } catch (err) {
    await store.close();
    throw err;
  }
  const effects = new SideEffects({ repo: sideEffectRepo(store), clock, log, holdMs: config.sideEffects.holdMs, onGiveUp: (item) => metrics.sideEffectsGivenUp.inc({ kind: item.kind }) });
  const audit = new Audit(auditRepo(store.db), clock, { atomic: store.atomic, effects });
  const sessions = new Sessions(sessionRepo(store.db), clock, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours });
  const trustedDevices = new TrustedDevices(trustedDeviceRepo(store.db), audit, clock, config.trustedDeviceDays);
  const redisWatch: RedisWatch = {
    down(err) {
      metrics.redisFaults.inc();
      log.warn({ err: { message: err.message } }, 'Redis connection lost or refused; limits fall back to the database');
    },
    up: () => log.info('Redis connection back'),
  };
  const bus = createBus(config.redisUrl, redisWatch);
  const revocations = new Revocations(bus, { log: revocationLog(store.db), clock, atomic: store.atomic });
  const appPasswords = new AppPasswords(appPasswordRepo(store.db), clock, secrets.pepper, revocations);
  const accounts = new Accounts(accountRepo(store.db), clock, { audit, sessions, trustedDevices, revocations, appPasswords, atomic: store.atomic });
  const blobs = config.blobStore === 'database' ? databaseBlobStore(store) : mixedBlobStore(databaseBlobStore(store), fileBlobStore(join(config.dataDir, 'blobs')), smallBlobBytes);
  const mail = new MailStore({ repo: mailRepo(store), blobs, bus, accounts: accounts.repo, clock, maxMessageBytes: config.maxMessageBytes });
  const searchIndexer = new SearchIndexer(searchBacklogRepo(store), blobs);
  const mailSettings = new MailSettings({ repo: mailSettingsRepo(store.db), bus, sendingAddresses: (a) => accounts.sendingAddresses(a) });
  const box = new SecretBox(secrets.dataKey);
  const dkim = new DkimKeys({ repo: dkimKeyRepo(store.db), accounts: accounts.repo, box, clock });
  const relay = new RelayQueue({ repo: outboundRepo(store), blobs, mail, accounts: accounts.repo, clock, log, relayUrl: config.smtpRelayUrl, hostname: config.mailHostname, sign: domainSigner((d) => dkim.signingKeys(d)) });
  const autoReply = new AutoReplies({ settings: mailSettings, accounts: accounts.repo, mail, relay, clock, log, sendingAddresses: (a) => accounts.sendingAddresses(a) });
  const redis = config.redisUrl ? redisClient(config.redisUrl, redisWatch, { subscriber: false }) : undefined;
  const onFallback = (what: string) => (err: Error) => {
    metrics.redisFallbacks.inc();
    log.warn({ err: { message: err.message } }, `Redis unavailable: ${what}`);
  };
  const limiter = redis ? fallbackLimiter(redisRateLimiter(redis), databaseRateLimiter(store.db), onFallback('rate limits counted in the database')) : databaseRateLimiter(store.db);
  const slots = redis ? redisSlots(redis, memorySlots(), onFallback('connection caps held per node')) : memorySlots();
  const mailOut = createMailOut(config, outbox, clock);
  const codeSender = new CodeSender({ mailOut, sms, effects, box, counts: sendCountRepo(store.db), messages: verificationMessages, clock, timeZone: config.timeZone, dailyCap: config.codeDailyCap, log });
  const wechatStore = wechatRepo(store.db);
  const methods = new MethodRegistry()
    .register(new TotpMethod())
    .register(backupEmailMethod(codeSender))
    .register(smsMethod(codeSender))
    .register(new WechatMethod({ provider: wechatProvider, store: wechatStore, pepper: secrets.pepper }))
    .register(new RecoveryCodesMethod(secrets.pepper));
  // In development on an IP address passkeys cannot work; the card then says so (production refuses to start).
  const webauthn = typeof config.relyingParty === 'string' ? undefined : new WebAuthnMethod(config.relyingParty);
  if (webauthn) methods.register(webauthn);
  const factors = factorRepo(store.db);
  const verifications = new Verifications({ repo: verificationRepo(store.db), factors, limiter, claims: resendClaimRepo(store.db), methods, audit, box, pepper: secrets.pepper, clock });
  const twoFactor = new TwoFactor({ factors, verifications, methods, trusted: trustedDevices, audit, box, clock, atomic: store.atomic });
  const notices = new SecurityNotices({
    accounts: accounts.repo,
    audit,
    effects,
    backupEmail: (id) => twoFactor.backupEmail(id),
    twoFactorOn: (id) => twoFactor.isOn(id),
    deliverLocal: async (id, msg) => void (await mail.deliver(id, await composeMail(msg))),
    mailOut,
    render: renderSecurityNotice,
    log,
    timeZone: config.timeZone,
    publicUrl: config.publicUrl,
    help: config.help,
  });
  const lockout = new Lockout({
    limiter,
    clock,
    pepper: secrets.pepper,
    limits: config.lockout,
    async onLockout({ address, channel, ip }) {
      metrics.lockouts.inc({ channel });
      const account = await accounts.repo.findByAddress(address);
      if (account) await audit.record(account.id, 'lockout_started', { ip, userAgent: null }, { channel });
    },
  });
  const live = liveSessions(revocations, clock);
  const policy = new TwoFactorPolicy(policyRepo(store.db), clock, twoFactor);
  const passkeys = webauthn && new PasskeySignIn({ challenges: passkeyChallengeRepo(store.db), accounts: accounts.repo, factors, verifications, method: webauthn, box, limiter, clock });
  const login = new LoginFlow({ accounts, twoFactor, trustedDevices, sessions, audit, lockout, deviceCookies: new DeviceCookies(secrets.pepper), policy, passkeys, isNewDevice: newDevices(audit, describeUserAgent) });
  const admin = new Admin({ accounts, policy, aliases: aliasRepo(store.db), search: accountSearch(store.db, store.dialect), auditQuery: auditQuery(store.db), stats: adminStats(store.db), twoFactor, trustedDevices, sessions, appPasswords, audit, revocations, dkim, clock });
  return {
    config,
    store,
    secrets,
    clock,
    log,
    accounts,
    sessions,
    stepUp: new StepUp({ sessions, twoFactor, login, limiter, audit, clock }),
    bus,
    mail,
    dkim,
    resolver: options.resolver ?? systemResolver(config.dns),
    spamFilter: config.rspamd ? rspamdFilter({ ...config.rspamd, hostname: config.mailHostname, log }) : undefined,
    emails: new Emails(emailRepo(store), mail, searchIndexer),
    searchIndexer,
    mailSettings,
    autoReply,
    relay,
    appPasswords,
    lockout,
    revocations,
    liveSessions: live,
    audit,
    methods,
    limiter,
    slots,
    metrics,
    jobs: jobLeases(store.db),
    twoFactor,
    login,
    policy,
    admin,
    notices,
    effects,
    trustedDevices,
    outbox,
    mailOut,
    sms,
    wechat: { provider: wechatProvider, approvals: new WechatApprovals({ store: wechatStore, factors, box, verifications, pepper: secrets.pepper, clock }) },
    authenticateClient: countedLogins(
      rememberedClientLogins(clientAuthenticator({ accounts: accounts.repo, appPasswords, twoFactor: options.twoFactor ?? twoFactor, lockout, limiter, audit, clock, policy }), { appPasswords, revocations, clock, protocols: ['jmap'] }),
      metrics,
    ),
    async close() {
      live.close();
      await effects.settled();
      await appPasswords.flush().catch(() => {});
      await relay.close();
      await bus.close();
      slots.close();
      redis?.disconnect();
      await store.close();
    },
  };
}
