import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { Accounts } from './core/accounts.ts';
import { systemClock, type Clock } from './core/ports.ts';
import { Sessions } from './core/sessions.ts';
import { loadSecrets, prepareDataDir, type Secrets } from './dataDir.ts';
import { accountRepo } from './store/accountRepo.ts';
import { migrate, openStore, type Store } from './store/db.ts';
import { sessionRepo } from './store/sessionRepo.ts';

/** Everything a running Postern shares: config, store, secrets and the core services built on them. */
export interface Context {
  config: Config;
  store: Store;
  secrets: Secrets;
  clock: Clock;
  log: Logger;
  accounts: Accounts;
  sessions: Sessions;
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
  return {
    config,
    store,
    secrets,
    clock,
    log: options.log ?? createLogger(config),
    accounts: new Accounts(accountRepo(store.db), clock),
    sessions: new Sessions(sessionRepo(store.db), clock, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }),
    close: () => store.close(),
  };
}
