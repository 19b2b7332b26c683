import type { Command } from 'commander';
import type { Context } from '../../context.ts';
import { CliError, printJsonOrTable, withContext } from '../io.ts';

/** Development mode keeps mail and text messages instead of sending them; these commands read them. */
function withOutbox<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
  return withContext(async (ctx) => {
    if (!ctx.config.dev) throw new CliError('the dev outbox exists only in development mode (POSTERN_ENV=development)');
    return fn(ctx);
  });
}

const firstLine = (text: string) => text.split('\n').find((l) => l.trim()) ?? '';

export function outboxCommands(program: Command): void {
  const outbox = program.command('outbox').description('development: read the mail and text messages that were kept instead of sent');
  outbox
    .command('list', { isDefault: true })
    .description('list kept messages, newest first')
    .option('--to <recipient>', 'only those to this address or E.164 phone number')
    .option('--channel <channel>', 'mail or sms')
    .option('--limit <n>', 'at most n messages', '20')
    .option('--json', 'print JSON, with full text and HTML')
    .action((opts: { to?: string; channel?: string; limit: string; json?: boolean }) =>
      withOutbox(async (ctx) => {
        if (opts.channel && opts.channel !== 'mail' && opts.channel !== 'sms') throw new CliError(`--channel must be mail or sms, not ${opts.channel}`);
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be a whole number from 1 to 1000');
        const entries = await ctx.outbox.list({ to: opts.to, channel: opts.channel as 'mail' | 'sms' | undefined, limit });
        if (opts.json) return printJsonOrTable(true, entries.map((e) => ({ ...e })));
        if (entries.length === 0) return void process.stdout.write('the outbox is empty\n');
        printJsonOrTable(false, entries.map((e) => ({ id: e.id, time: e.createdAt, channel: e.channel, to: e.to, subject: e.subject ?? firstLine(e.text).slice(0, 60) })));
      }),
    );
  outbox
    .command('show <id>')
    .description('print one kept message in full (text part)')
    .action((id: string) =>
      withOutbox(async (ctx) => {
        const e = await ctx.outbox.get(id);
        if (!e) throw new CliError(`no message ${id} in the outbox`);
        const headers = [`Date: ${e.createdAt.toISOString()}`, `Channel: ${e.channel}`, e.from && `From: ${e.from}`, `To: ${e.to}`, e.subject && `Subject: ${e.subject}`];
        process.stdout.write(`${headers.filter(Boolean).join('\n')}\n\n${e.text.replace(/\n?$/, '\n')}`);
      }),
    );
  outbox
    .command('clear')
    .description('delete every kept message')
    .action(() =>
      withOutbox(async (ctx) => {
        process.stdout.write(`${await ctx.outbox.clear()} messages deleted\n`);
      }),
    );
}
