import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { seedDemo } from '../../devSeed.ts';
import { startPostern } from '../../server.ts';
import { ensureUiBuilt } from '../../web/uiBuild.ts';
import { withContext } from '../io.ts';

export function serveCommands(program: Command): void {
  program
    .command('serve')
    .description('run every server of Postern (web, SMTP, IMAP, POP3) until SIGTERM or SIGINT')
    .action(async () => {
      const config = loadConfig();
      await ensureUiBuilt();
      const postern = await startPostern(config);
      const p = config.ports;
      const lines = [
        `Postern is running (${config.env}, ${postern.ctx.store.dialect}): ${config.dev ? postern.url.replace('127.0.0.1', 'localhost') : config.publicUrl}`,
        `Mail ports: SMTP ${p.smtp}, submission ${p.submission} (STARTTLS) / ${p.smtps} (TLS), IMAP ${p.imap} (STARTTLS) / ${p.imaps} (TLS), POP3 ${p.pop3} (STLS) / ${p.pop3s} (TLS)`,
      ];
      if (config.dev) {
        const demo = await seedDemo(postern.ctx);
        lines.push(
          demo.password
            ? `Demo account (printed only this once): ${demo.address}  password: ${demo.password}`
            : `Demo account: ${demo.address} (its password was printed at first start; set a new one with: npm run postern -- user passwd ${demo.address})`,
          'First administrator: npm run postern -- user add admin@example.test --admin',
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        postern.ctx.log.info({ signal }, 'shutting down');
        await postern.stop();
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
    });
  program
    .command('migrate')
    .description('bring the database schema up to date (serve also does this at start)')
    .action(() =>
      withContext(async (ctx) => {
        process.stdout.write(`database (${ctx.store.dialect}) is up to date\n`);
      }),
    );
}
