import './heapSize.ts';
import { revocationCatchUpMs } from './core/revocation.ts';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createContext, type Context, type ContextOptions } from './context.ts';
import { acquireLock, prepareDataDir } from './dataDir.ts';
import { startMailAccess, type RunningMailAccess } from './protocols/mailAccess.ts';
import { startSmtp, type RunningSmtp } from './protocols/smtp/index.ts';
import type { SmtpDeps } from './protocols/smtp/smtpServer.ts';
import { loadTls, type TlsMaterial } from './tls.ts';
import { buildApp } from './web/app.ts';

export interface RunningPostern {
  ctx: Context;
  web: FastifyInstance;
  /** Base URL of the web server as bound (port 0 resolves to the real port). */
  url: string;
  smtp: RunningSmtp;
  /** IMAP and POP3. */
  mailAccess: RunningMailAccess;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

async function listen(app: FastifyInstance, port: number, host: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupError(`POSTERN_WEB_PORT=${port}: the port is already in use; stop the other program or choose another port`);
    if (code === 'EACCES') throw new StartupError(`POSTERN_WEB_PORT=${port}: no permission to listen on this port; use a port above 1024`);
    throw err;
  }
}

/** Periodic work of a node: app-password last uses written in batches, relay retries, the full-text index of new mail, notices and codes left to send, and, when it is this node's turn, the blob sweep and 2FA policy reminders. */
function backgroundWork(ctx: Context): NodeJS.Timeout[] {
  const every = (ms: number, work: () => Promise<unknown>, what: string) =>
    setInterval(() => void work().catch((err: unknown) => ctx.log.error({ err }, `${what} failed`)), ms).unref();
  return [
    every(5_000, () => ctx.appPasswords.flush(), 'writing app-password uses'),
    every(30_000, () => ctx.relay.runDue(), 'relay queue'),
    // Each node takes part: two indexing the same Email write the same rows.
    every(1_000, () => ctx.searchIndexer.runDue(), 'search index'),
    // Revocations the bus did not bring (Redis away) still end sessions on this node.
    every(revocationCatchUpMs, () => ctx.revocations.catchUp(), 'revocation catch-up'),
    // Notices and codes left by a node that died before sending them, and retries.
    every(ctx.config.sideEffects.pollMs, () => ctx.effects.runDue(), 'side effects'),
    // Hourly jobs run on one node: each lease outlasts a run and ends before the next one is due.
    every(60 * 60_000, async () => (await ctx.jobs.take('blob_sweep', 50 * 60_000)) && ctx.mail.sweepBlobs(), 'blob sweep'),
    every(60 * 60_000, async () => (await ctx.jobs.take('policy_reminders', 50 * 60_000)) && ctx.admin.sendReminders(), '2FA policy reminders'),
    every(60 * 60_000, async () => (await ctx.jobs.take('revocation_prune', 50 * 60_000)) && ctx.revocations.prune(), 'revocation log prune'),
  ];
}

/** What SMTP uses of a node's context (tests start SMTP alone with it). */
export const smtpDeps = (ctx: Context, tls: TlsMaterial): SmtpDeps => ({
  config: ctx.config, accounts: ctx.accounts.repo, sendingAddresses: (account) => ctx.accounts.sendingAddresses(account), mail: ctx.mail, resolver: ctx.resolver, spamFilter: ctx.spamFilter, relay: ctx.relay, autoReply: ctx.autoReply, authenticate: ctx.authenticateClient, live: ctx.liveSessions, clock: ctx.clock, log: ctx.log, tls, trustedProxies: ctx.config.trustedProxies, metrics: ctx.metrics,
});

/**
 * Starts every server of one Postern node; `stop()` closes them and then the database. A start that
 * fails part-way closes what it had opened: no port stays bound.
 */
export async function startPostern(config: Config, options: ContextOptions = {}): Promise<RunningPostern> {
  prepareDataDir(config);
  const releaseLock = config.databaseUrl ? () => {} : acquireLock(config);
  const opened: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    while (opened.length) await opened.pop()!();
  };
  try {
    // Read before any port is bound: bad TLS files stop the start with nothing to undo.
    const tls = await loadTls(config);
    const ctx = await createContext(config, options);
    opened.push(() => ctx.close());
    const web = await buildApp(ctx);
    opened.push(() => web.close());
    const url = await listen(web, config.ports.web, config.host);
    const smtp = await startSmtp(smtpDeps(ctx, tls));
    opened.push(() => smtp.close());
    const network = { trustedProxies: config.trustedProxies, slots: ctx.slots, metrics: ctx.metrics };
    const mailAccess = await startMailAccess({ config, mail: ctx.mail, authenticate: ctx.authenticateClient, live: ctx.liveSessions, log: ctx.log, tls, network });
    opened.push(() => mailAccess.close());
    // Port 0 means "any": from here on the config names the ports really bound (setup hints show them).
    Object.assign(config.ports, smtp.ports, mailAccess.ports);
    const timers = backgroundWork(ctx);
    return {
      ctx,
      web,
      url,
      smtp,
      mailAccess,
      async stop() {
        for (const timer of timers) clearInterval(timer);
        await closeAll();
        releaseLock();
      },
    };
  } catch (err) {
    await closeAll();
    releaseLock();
    throw err;
  }
}
