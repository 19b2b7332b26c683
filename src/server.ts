import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createContext, type Context, type ContextOptions } from './context.ts';
import { acquireLock, prepareDataDir } from './dataDir.ts';
import { startMailAccess, type RunningMailAccess } from './protocols/mailAccess.ts';
import { startSmtp, type RunningSmtp } from './protocols/smtp/index.ts';
import { loadTls } from './tls.ts';
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

/** Periodic work of a node: app-password last uses written in batches, relay retries, blob sweeping. */
function backgroundWork(ctx: Context): NodeJS.Timeout[] {
  const every = (ms: number, work: () => Promise<unknown>, what: string) =>
    setInterval(() => void work().catch((err: unknown) => ctx.log.error({ err }, `${what} failed`)), ms).unref();
  return [
    every(5_000, () => ctx.appPasswords.flush(), 'writing app-password uses'),
    every(30_000, () => ctx.relay.runDue(), 'relay queue'),
    every(60 * 60_000, () => ctx.mail.sweepBlobs(), 'blob sweep'),
  ];
}

/** Starts every server of one Postern node; `stop()` closes them and then the database. */
export async function startPostern(config: Config, options: ContextOptions = {}): Promise<RunningPostern> {
  prepareDataDir(config);
  const releaseLock = config.databaseUrl ? () => {} : acquireLock(config);
  let ctx: Context | undefined;
  try {
    ctx = await createContext(config, options);
    const web = await buildApp(ctx);
    const url = await listen(web, config.ports.web, config.host);
    const tls = await loadTls(config);
    const smtp = await startSmtp({ ctx, relay: ctx.relay, tls }).catch(async (err: unknown) => {
      await web.close();
      throw err;
    });
    const mailAccess = await startMailAccess(ctx, tls).catch(async (err: unknown) => {
      await smtp.close();
      await web.close();
      throw err;
    });
    // Port 0 means "any": from here on the config names the ports really bound (setup hints show them).
    Object.assign(config.ports, smtp.ports, mailAccess.ports);
    const timers = backgroundWork(ctx);
    const running: RunningPostern = {
      ctx,
      web,
      url,
      smtp,
      mailAccess,
      async stop() {
        for (const timer of timers) clearInterval(timer);
        await mailAccess.close();
        await smtp.close();
        await web.close();
        await ctx!.close();
        releaseLock();
      },
    };
    return running;
  } catch (err) {
    await ctx?.close();
    releaseLock();
    throw err;
  }
}
