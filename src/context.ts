import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { join } from 'node:path';
import { Accounts } from './core/accounts.ts';
import { AppPasswords } from './core/appPasswords.ts';
import { clientAuthenticator, type AuthenticateClient } from './core/clientAuth.ts';
import { systemClock, type Clock, type TwoFactorState } from './core/ports.ts';
import { Sessions } from './core/sessions.ts';
import { loadSecrets, prepareDataDir, type Secrets } from './dataDir.ts';
import { MailStore } from './mail/mailStore.ts';
import { RelayQueue } from './mail/relayQueue.ts';
import { createBus, type Bus } from './state/bus.ts';
import { createRateLimits, type RateLimits } from './state/rateLimit.ts';
import { accountRepo } from './store/accountRepo.ts';
import { appPasswordRepo } from './store/appPasswordRepo.ts';
import { databaseBlobStore, fileBlobStore } from './store/blobs.ts';
import { migrate, openStore, type Store } from './store/db.ts';
import { mailRepo } from './store/mailRepo.ts';
import { outboundRepo } from './store/outboundRepo.ts';
import { sessionRepo } from './store/sessionRepo.ts';

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
  /** Mail for other domains, persisted and handed to POSTERN_SMTP_RELAY_URL with retries. */
  relay: RelayQueue;
  appPasswords: AppPasswords;
  twoFactor: TwoFactorState;
  /** The one login check of IMAP, POP3 and SMTP (SPEC E1–E4). */
  authenticateClient: AuthenticateClient;
  sessions: Sessions;
  /** Failure counters shared by every node (Redis when configured). */
  rateLimits: RateLimits;
  close(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema (tests). */
  schema?: string;
  /** Whether an account has 2FA on; off for everyone until the 2FA core provides it. */
  twoFactor?: TwoFactorState;
}

const twoFactorOff: TwoFactorState = { isOn: async () => false };

// Secret-bearing fields are never logged, wherever they appear.
const redact = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', '*.password', '*.code', '*.token', '*.secret'];

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact });
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<Context> {
  prepareDataDir(config);
  const secrets = loadSecrets(config);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema });
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  const clock = options.clock ?? systemClock;
  const accounts = new Accounts(accountRepo(store.db), clock);
  const bus = createBus(config.redisUrl);
  const blobs = config.blobStore === 'database' ? databaseBlobStore(store) : fileBlobStore(join(config.dataDir, 'blobs'));
  const mail = new MailStore({ repo: mailRepo(store), blobs, bus, accounts: accounts.repo, clock, maxMessageBytes: config.maxMessageBytes });
  const log = options.log ?? createLogger(config);
  const relay = new RelayQueue({ repo: outboundRepo(store.db), blobs, mail, accounts: accounts.repo, clock, log, relayUrl: config.smtpRelayUrl, hostname: config.mailHostname });
  const appPasswords = new AppPasswords(appPasswordRepo(store.db), clock, secrets.pepper);
  const twoFactor = options.twoFactor ?? twoFactorOff;
  const rateLimits = createRateLimits(config.redisUrl);
  const limits = {
    account: rateLimits.limiter({ name: 'client_auth_account', points: 10, windowSeconds: 900, blockSeconds: 900 }),
    ip: rateLimits.limiter({ name: 'client_auth_ip', points: 30, windowSeconds: 900, blockSeconds: 900 }),
  };
  return {
    config,
    store,
    secrets,
    clock,
    log,
    accounts,
    sessions: new Sessions(sessionRepo(store.db), clock, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }),
    rateLimits,
    bus,
    mail,
    relay,
    appPasswords,
    twoFactor,
    authenticateClient: clientAuthenticator({ accounts: accounts.repo, appPasswords, twoFactor, limits }),
    async close() {
      await appPasswords.flush().catch(() => {});
      await relay.close();
      await bus.close();
      await rateLimits.close();
      await store.close();
    },
  };
}
