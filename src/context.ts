import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { Accounts } from './core/accounts.ts';
import { Audit } from './core/audit.ts';
import { MethodRegistry } from './core/methods.ts';
import { systemClock, type Clock, type RateLimiter } from './core/ports.ts';
import { SecretBox } from './core/secretBox.ts';
import { TotpMethod } from './core/totp.ts';
import { TrustedDevices } from './core/trustedDevices.ts';
import { TwoFactor } from './core/twoFactor.ts';
import { Verifications } from './core/verifications.ts';
import { loadSecrets, prepareDataDir, type Secrets } from './dataDir.ts';
import { connectRedisRateLimiter } from './state/redisRateLimiter.ts';
import { accountRepo } from './store/accountRepo.ts';
import { auditRepo } from './store/auditRepo.ts';
import { factorRepo } from './store/factorRepo.ts';
import { databaseRateLimiter } from './store/rateLimitRepo.ts';
import { trustedDeviceRepo } from './store/trustedDeviceRepo.ts';
import { verificationRepo } from './store/verificationRepo.ts';
import { migrate, openStore, type Store } from './store/db.ts';

/** Everything a running Postern shares: config, store, secrets and the core services built on them. */
export interface Context {
  config: Config;
  store: Store;
  secrets: Secrets;
  clock: Clock;
  log: Logger;
  accounts: Accounts;
  audit: Audit;
  /** Second-step methods; further methods register here at start-up. */
  methods: MethodRegistry;
  /** Shared by all nodes: the database, or Redis when configured. */
  limiter: RateLimiter;
  twoFactor: TwoFactor;
  trustedDevices: TrustedDevices;
  close(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema (tests). */
  schema?: string;
}

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
  const redisLimiter = config.redisUrl ? connectRedisRateLimiter(config.redisUrl) : undefined;
  const limiter = redisLimiter ?? databaseRateLimiter(store.db);
  const audit = new Audit(auditRepo(store.db), clock);
  const methods = new MethodRegistry().register(new TotpMethod());
  const trustedDevices = new TrustedDevices(trustedDeviceRepo(store.db), audit, clock, config.trustedDeviceDays);
  const factors = factorRepo(store.db);
  const box = new SecretBox(secrets.dataKey);
  const verifications = new Verifications({ repo: verificationRepo(store.db), factors, limiter, methods, audit, box, pepper: secrets.pepper, clock });
  return {
    config,
    store,
    secrets,
    clock,
    log: options.log ?? createLogger(config),
    accounts: new Accounts(accountRepo(store.db), clock),
    audit,
    methods,
    limiter,
    twoFactor: new TwoFactor({ factors, verifications, methods, trusted: trustedDevices, audit, box, clock }),
    trustedDevices,
    async close() {
      await redisLimiter?.close();
      await store.close();
    },
  };
}
