import type { Command } from 'commander';
import { z } from 'zod';
import type { AccountRecord } from '../../core/ports.ts';
import { CliError, cliRequest, printJsonOrTable, readPassword, withContext } from '../io.ts';

const publicView = (a: AccountRecord) => ({
  address: a.address,
  name: a.displayName,
  admin: a.isAdmin,
  disabled: a.disabled,
  quotaMiB: Math.round(a.quotaBytes / 1024 / 1024),
  created: a.createdAt,
  lastLogin: a.lastLoginAt,
});

const quotaMiB = z.coerce.number().int().positive().max(1024 * 1024);

/** Adds `postern user …`; returns it so that other command files can add subcommands. */
export function userCommands(program: Command): Command {
  const user = program.command('user').description('manage mail accounts');
  user
    .command('add <address>')
    .description('create an account; the password is asked for with no echo, or read with --password-stdin')
    .option('--name <displayName>', 'display name (default: the part before @)')
    .option('--admin', 'make the account an administrator')
    .option('--quota <MiB>', 'mailbox quota in MiB (default 2048)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--one-time-password', 'generate a one-time password and print it once, instead of asking for one')
    .action((address: string, opts: { name?: string; admin?: boolean; quota?: string; passwordStdin?: boolean; oneTimePassword?: boolean }) =>
      withContext(async (ctx) => {
        const quota = opts.quota === undefined ? undefined : quotaMiB.safeParse(opts.quota);
        if (quota && !quota.success) throw new CliError(`--quota ${opts.quota}: must be a whole number of MiB, e.g. --quota 2048`);
        const quotaBytes = quota ? quota.data * 1024 * 1024 : undefined;
        if (opts.oneTimePassword) {
          const created = await ctx.admin.createAccount({ address, displayName: opts.name, isAdmin: opts.admin, quotaBytes }, cliRequest);
          process.stdout.write(`account ${created.account.address} created; one-time password (shown once): ${created.password}\n`);
          return;
        }
        await ctx.accounts.checkNewAddress(address);
        const password = await readPassword(opts.passwordStdin);
        const account = await ctx.accounts.create({
          address,
          password,
          displayName: opts.name,
          isAdmin: opts.admin,
          quotaBytes,
        });
        process.stdout.write(`account ${account.address} created\n`);
      }),
    );
  user
    .command('list')
    .description('list accounts')
    .option('--domain <domain>', 'only this domain')
    .option('--json', 'print JSON')
    .action((opts: { domain?: string; json?: boolean }) =>
      withContext(async (ctx) => printJsonOrTable(opts.json, (await ctx.accounts.repo.list(opts.domain?.toLowerCase())).map(publicView))),
    );
  user
    .command('show <address>')
    .description('show one account')
    .option('--json', 'print JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const view = publicView(await ctx.accounts.get(address));
        if (opts.json) process.stdout.write(JSON.stringify(view, null, 2) + '\n');
        else printJsonOrTable(false, Object.entries(view).map(([field, value]) => ({ field, value })));
      }),
    );
  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    user
      .command(`${name} <address>`)
      .description(disabled ? 'block every login of an account and end its web sessions and mail connections (mail is still accepted)' : 'allow logins again')
      .action((address: string) =>
        withContext(async (ctx) => {
          const account = await ctx.accounts.get(address);
          await ctx.admin.setDisabled(account, disabled, cliRequest);
          process.stdout.write(`account ${address.toLowerCase()} ${name}d\n`);
        }),
      );
  }
  user
    .command('passwd <address>')
    .description("set an account's main password; signs out its web sessions and revokes its trusted browsers")
    .option('--password-stdin', 'read the password from standard input')
    .action((address: string, opts: { passwordStdin?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        const revoked = await ctx.accounts.changePassword(account, await readPassword(opts.passwordStdin), cliRequest);
        process.stdout.write(`password of ${account.address} changed; signed out ${revoked.sessions} web session(s), revoked ${revoked.trustedDevices} trusted browser(s)\n`);
      }),
    );
  user
    .command('reset-password <address>')
    .description('give an account a new one-time main password, printed once; its sessions and trusted browsers end')
    .action((address: string) =>
      withContext(async (ctx) => {
        const password = await ctx.admin.resetPassword(await ctx.accounts.get(address), cliRequest);
        process.stdout.write(`one-time password of ${address.toLowerCase()} (shown once): ${password}\n`);
      }),
    );
  user
    .command('quota <address> <MiB>')
    .description("set an account's mailbox quota in MiB")
    .action((address: string, value: string) =>
      withContext(async (ctx) => {
        const quota = quotaMiB.safeParse(value);
        if (!quota.success) throw new CliError(`quota ${value}: must be a whole number of MiB, e.g. 2048`);
        await ctx.admin.setQuota(await ctx.accounts.get(address), quota.data * 1024 * 1024, cliRequest);
        process.stdout.write(`quota of ${address.toLowerCase()}: ${quota.data} MiB\n`);
      }),
    );
  user
    .command('admin <address> <on|off>')
    .description('give or take the administrator flag')
    .action((address: string, value: string) =>
      withContext(async (ctx) => {
        if (value !== 'on' && value !== 'off') throw new CliError(`${value}: say on or off`);
        await ctx.admin.setAdmin(await ctx.accounts.get(address), value === 'on', cliRequest);
        process.stdout.write(`${address.toLowerCase()} is ${value === 'on' ? 'an administrator' : 'not an administrator'}\n`);
      }),
    );
  user
    .command('remove <address>')
    .description('delete an account and everything it owns')
    .option('--yes', 'do not ask for confirmation')
    .action((address: string, opts: { yes?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        if (!opts.yes) throw new CliError(`removing ${account.address} deletes all its mail: run again with --yes to confirm`);
        await ctx.accounts.repo.remove(account.id);
        process.stdout.write(`account ${account.address} removed\n`);
      }),
    );
  return user;
}
