import type { Command } from 'commander';
import { z } from 'zod';
import type { DomainPolicy } from '../../core/adminPorts.ts';
import { CliError, cliRequest, printJsonOrTable, withContext } from '../io.ts';

const graceDays = z.coerce.number().int().min(0).max(365);
const view = (p: DomainPolicy) => ({ domain: p.domain, twoFactor: p.twoFactor, startsAt: p.startsAt, graceDays: p.graceDays, helpPhone: p.helpPhone, helpEmail: p.helpEmail });

/** `postern domain policy …` and `domain help …` (SPEC X5, F1), and the per-account exemptions. */
export function policyCommands(domain: Command, user: Command): void {
  domain
    .command('policy <name>')
    .description('show or set the two-step requirement of a domain: --require with a grace period (from --starts, or from each newer account\'s creation), or --off')
    .option('--require', 'require two-step verification')
    .option('--off', 'require nothing')
    .option('--grace <days>', 'days of grace before a method must be bound (0-365)')
    .option('--starts <date>', 'when the requirement starts, e.g. 2026-12-01 (default: now)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { require?: boolean; off?: boolean; grace?: string; starts?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        if (opts.require && opts.off) throw new CliError('--require and --off: choose one');
        const grace = opts.grace === undefined ? undefined : graceDays.safeParse(opts.grace);
        if (grace && !grace.success) throw new CliError(`--grace ${opts.grace}: must be a whole number of days from 0 to 365, e.g. --grace 14`);
        const startsAt = opts.starts === undefined ? undefined : new Date(opts.starts);
        if (startsAt && Number.isNaN(startsAt.getTime())) throw new CliError(`--starts ${opts.starts}: not a date, e.g. --starts 2026-12-01`);
        const change = opts.require || opts.off || grace || startsAt;
        const current = await ctx.policy.get(name);
        const policy = change
          ? await ctx.admin.setPolicy(name, { twoFactor: opts.require ? 'required' : opts.off ? 'off' : current.twoFactor, graceDays: grace?.data, startsAt }, cliRequest)
          : current;
        printJsonOrTable(opts.json, [view(policy)]);
      }),
    );
  domain
    .command('help <name>')
    .description("set the domain's help-desk contacts, shown to its users (empty to clear)")
    .option('--phone <phone>', 'help-desk phone', '')
    .option('--email <email>', 'help-desk email', '')
    .action((name: string, opts: { phone: string; email: string }) =>
      withContext(async (ctx) => {
        const policy = await ctx.admin.setHelp(name, opts, cliRequest);
        process.stdout.write(`help-desk contacts of ${policy.domain}: ${[policy.helpPhone, policy.helpEmail].filter(Boolean).join(', ') || 'none'}\n`);
      }),
    );
  user
    .command('exempt <address>')
    .description("exempt an account from its domain's two-step requirement (listed on the admin dashboard)")
    .option('--reason <text>', 'required: why')
    .action((address: string, opts: { reason?: string }) =>
      withContext(async (ctx) => {
        if (!opts.reason?.trim()) throw new CliError('--reason is required, e.g. --reason "shared lab mailbox, ticket 4712"');
        await ctx.admin.exempt(await ctx.accounts.get(address), opts.reason, cliRequest);
        process.stdout.write(`${address.toLowerCase()} is exempt from the two-step requirement\n`);
      }),
    );
  user
    .command('unexempt <address>')
    .description('end an exemption')
    .action((address: string) =>
      withContext(async (ctx) => {
        await ctx.admin.unexempt(await ctx.accounts.get(address), cliRequest);
        process.stdout.write(`${address.toLowerCase()} is no longer exempt\n`);
      }),
    );
}
