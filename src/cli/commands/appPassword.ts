import type { Command } from 'commander';
import { clientProtocols, type AppPasswordRecord, type ClientProtocol } from '../../core/appPasswords.ts';
import { CliError, cliRequest, printJsonOrTable, withContext } from '../io.ts';

const view = (r: AppPasswordRecord) => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes.join(','),
  created: r.createdAt,
  lastUsed: r.lastUsedAt,
  lastProtocol: r.lastUsedProtocol,
  lastIp: r.lastUsedIp,
});

function parseScopes(value: string | undefined): ClientProtocol[] | undefined {
  if (value === undefined) return undefined;
  const scopes = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = scopes.find((s) => !(clientProtocols as readonly string[]).includes(s));
  if (bad !== undefined || scopes.length === 0) throw new CliError(`--scopes ${value}: use a comma-separated list of ${clientProtocols.join(', ')}, e.g. --scopes imap,smtp`);
  return scopes as ClientProtocol[];
}

export function appPasswordCommands(program: Command): void {
  const cmd = program.command('app-password').description("manage an account's client-specific passwords (for IMAP, POP3, SMTP clients)");
  cmd
    .command('add <address>')
    .description('generate a client-specific password; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what it is for, e.g. "手机 Outlook"')
    .option('--scopes <list>', `protocols it may be used for (default: ${clientProtocols.join(',')})`)
    .action((address: string, opts: { name: string; scopes?: string }) =>
      withContext(async (ctx) => {
        const scopes = parseScopes(opts.scopes);
        const account = await ctx.accounts.get(address);
        const { record, password } = await ctx.store.atomic.run(async () => {
          const created = await ctx.appPasswords.create(account.id, opts.name, scopes);
          await ctx.audit.record(account.id, 'app_password_created', cliRequest, { id: created.record.id, name: created.record.name, scopes: created.record.scopes.join(',') });
          return created;
        });
        process.stdout.write(`client-specific password "${record.name}" (${record.scopes.join(',')}) for ${account.address}, shown only this once:\n${password}\n`);
      }),
    );
  cmd
    .command('list <address>')
    .description('list client-specific passwords (never the passwords themselves)')
    .option('--json', 'print JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        printJsonOrTable(opts.json, (await ctx.appPasswords.list(account.id)).map(view));
      }),
    );
  cmd
    .command('remove <address> <id>')
    .description('delete a client-specific password; clients using it are refused at once and their open connections end')
    .action((address: string, id: string) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        const name = (await ctx.appPasswords.list(account.id)).find((p) => p.id === id)?.name ?? null;
        await ctx.appPasswords.remove(account.id, id);
        await ctx.audit.record(account.id, 'app_password_deleted', cliRequest, { id, name });
        process.stdout.write(`client-specific password ${id} of ${account.address} removed\n`);
      }),
    );
}
