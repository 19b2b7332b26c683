import type { Command } from 'commander';
import { printJsonOrTable, withContext } from '../io.ts';

export function domainCommands(program: Command): void {
  const domain = program.command('domain').description('manage the mail domains this server serves');
  domain
    .command('add <name>')
    .description('serve a new domain, e.g. example.edu')
    .action((name: string) =>
      withContext(async (ctx) => {
        const added = await ctx.accounts.addDomain(name);
        process.stdout.write(`domain ${added} added\n`);
      }),
    );
  domain
    .command('list')
    .description('list the served domains with their account counts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const rows = await ctx.accounts.repo.listDomains();
        printJsonOrTable(opts.json, rows.map((d) => ({ domain: d.name, accounts: d.accounts, created: d.createdAt })));
      }),
    );
  domain
    .command('remove <name>')
    .description('stop serving a domain (it must have no accounts left)')
    .action((name: string) =>
      withContext(async (ctx) => {
        await ctx.accounts.removeDomain(name);
        process.stdout.write(`domain ${name.toLowerCase()} removed\n`);
      }),
    );
}
