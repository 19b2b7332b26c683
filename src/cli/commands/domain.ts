import type { Command } from 'commander';
import { dkimDnsRecords } from '../../core/dkimKeys.ts';
import { cliRequest, printJsonOrTable, withContext } from '../io.ts';

/** Adds `postern domain …`; returns it so that other command files can add subcommands. */
export function domainCommands(program: Command): Command {
  const domain = program.command('domain').description('manage the mail domains this server serves');
  domain
    .command('add <name>')
    .description('serve a new domain, e.g. example.edu')
    .action((name: string) =>
      withContext(async (ctx) => {
        const added = await ctx.admin.addDomain(name, cliRequest);
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
    .command('dkim <name>')
    .description('create the domain\'s DKIM keys (Ed25519 and RSA-2048) if it has none, and print the DNS records to publish')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const { created, keys } = await ctx.dkim.ensure(name);
        const domain = keys[0].domain;
        const records = dkimDnsRecords(domain, keys, ctx.config.smtpRelayUrl ? new URL(ctx.config.smtpRelayUrl).hostname : undefined);
        if (opts.json) return printJsonOrTable(true, records);
        const txt = (value: string) => value.match(/.{1,255}/g)!.map((part) => `"${part}"`).join(' ');
        const line = (r: (typeof records)[number]) => `${r.name}. IN TXT ${txt(r.value)}\n`;
        process.stdout.write(`${created ? 'New DKIM keys' : 'DKIM keys'} for ${domain}: outgoing mail is signed with them. Publish these DNS records:\n\n`);
        for (const r of records.filter((r) => r.kind === 'dkim')) process.stdout.write(line(r));
        process.stdout.write('\nSuggested, if the domain has none yet (SPF: the hosts that send its mail; DMARC: raise to p=reject once reports look clean):\n\n');
        for (const r of records.filter((r) => r.kind !== 'dkim')) process.stdout.write(line(r));
      }),
    );
  domain
    .command('remove <name>')
    .description('stop serving a domain (it must have no accounts left)')
    .action((name: string) =>
      withContext(async (ctx) => {
        await ctx.admin.removeDomain(name, cliRequest);
        process.stdout.write(`domain ${name.toLowerCase()} removed\n`);
      }),
    );
  return domain;
}
