import type { Command } from 'commander';
import { cliRequest, printJsonOrTable, withContext } from '../io.ts';

/** `postern alias …` (SPEC X5): addresses that deliver to an account and that it may send as. */
export function aliasCommands(program: Command): void {
  const alias = program.command('alias').description('manage aliases: addresses that deliver to an account and that it may send as');
  alias
    .command('add <alias> <account>')
    .description('deliver mail for <alias> to <account> and let it send as <alias>')
    .action((input: string, address: string) =>
      withContext(async (ctx) => {
        const added = await ctx.admin.addAlias(await ctx.accounts.get(address), input, cliRequest);
        process.stdout.write(`alias ${added} delivers to ${address.toLowerCase()}\n`);
      }),
    );
  alias
    .command('remove <alias> <account>')
    .description('remove an alias of <account>')
    .action((input: string, address: string) =>
      withContext(async (ctx) => {
        await ctx.admin.removeAlias(await ctx.accounts.get(address), input, cliRequest);
        process.stdout.write(`alias ${input.toLowerCase()} removed\n`);
      }),
    );
  alias
    .command('list <account>')
    .description("list an account's aliases")
    .option('--json', 'print JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        printJsonOrTable(opts.json, (await ctx.admin.details(account)).aliases.map((a) => ({ alias: a.address, created: a.createdAt })));
      }),
    );
}
