import type { Command } from 'commander';
import { z } from 'zod';
import { resetTwoFactor, signOutEverywhere } from '../../core/helpDesk.ts';
import { auditEventId, auditTypes } from '../../core/audit.ts';
import type { AuditEvent } from '../../core/ports.ts';
import { describeUserAgent } from '../../providers/userAgent.ts';
import { CliError, cliRequest, printJsonOrTable, withContext } from '../io.ts';


const auditLimit = z.coerce.number().int().min(1).max(1000);

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

const browserOf = (userAgent: string | null) => (userAgent ? describeUserAgent(userAgent).display || userAgent : null);

const eventView = (e: AuditEvent, json: boolean | undefined) => ({
  at: e.at,
  type: e.type,
  ip: e.ip,
  browser: browserOf(e.userAgent),
  detail: json ? e.detail : Object.entries(e.detail).map(([k, v]) => `${k}=${v}`).join(' '),
});

/** The help desk's commands (SPEC X5): look at an account's 2FA, sessions and audit log, reset 2FA, sign it out. */
export function adminCommands(program: Command, user: Command): void {
  user
    .command('2fa <address>')
    .description("show an account's two-step verification: bound methods, trusted devices, client-specific passwords, web sessions")
    .option('--json', 'print JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        const { on, methods, recovery } = await ctx.twoFactor.overview(account.id);
        const view = {
          address: account.address,
          on,
          methods: methods.flatMap((m) => (m.factor ? [{ kind: m.kind, label: m.factor.label, boundAt: m.factor.boundAt, lastUsedAt: m.factor.lastUsedAt }] : [])),
          recoveryCodesLeft: recovery?.left ?? null,
          trustedDevices: (await ctx.trustedDevices.list(account.id)).length,
          appPasswords: await ctx.appPasswords.repo.count(account.id),
          sessions: (await ctx.sessions.list(account.id)).length,
        };
        if (opts.json) return printJson(view);
        process.stdout.write(`two-step verification of ${view.address}: ${on ? 'on' : 'off'}\n`);
        printJsonOrTable(false, view.methods);
        process.stdout.write(`recovery codes left: ${view.recoveryCodesLeft ?? 'none generated'}\n`);
        process.stdout.write(`trusted devices: ${view.trustedDevices}\nclient-specific passwords: ${view.appPasswords}\nweb sessions: ${view.sessions}\n`);
      }),
    );
  user
    .command('reset-2fa <address>')
    .description(
      'after checking the owner\'s identity: unbind every two-step method (2FA off), remove all trusted devices, end all web sessions ' +
        'and delete all client-specific passwords (keep them with --keep-app-passwords); recorded in the audit log with the reason',
    )
    .option('--reason <text>', 'required: the ticket number and how the identity was checked')
    .option('--keep-app-passwords', 'keep client-specific passwords working (default: delete them, as a lost phone may hold them)')
    .option('--yes', 'do not ask for confirmation')
    .action((address: string, opts: { reason?: string; keepAppPasswords?: boolean; yes?: boolean }) =>
      withContext(async (ctx) => {
        if (!opts.reason?.trim()) throw new CliError('--reason is required: say which ticket and how the identity was checked, e.g. --reason "ticket 4711, ID card checked at the desk"');
        const account = await ctx.accounts.get(address);
        if (!opts.yes) throw new CliError(`resetting turns two-step verification of ${account.address} off and signs it out everywhere: run again with --yes to confirm`);
        const done = await resetTwoFactor(ctx, account.id, { note: opts.reason, keepAppPasswords: opts.keepAppPasswords }, cliRequest);
        const passwords = done.appPasswords === null ? 'kept client-specific passwords' : `deleted ${done.appPasswords} client-specific password(s)`;
        process.stdout.write(
          `two-step verification of ${account.address} is off: unbound ${done.methods.join(', ') || 'no method'}, ` +
            `removed ${done.trustedDevices} trusted device(s), ended ${done.sessions} web session(s), ${passwords}\n`,
        );
      }),
    );
  user
    .command('sessions <address>')
    .description("list an account's signed-in web sessions, most recently seen first")
    .option('--json', 'print JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        const rows = (await ctx.sessions.list(account.id)).map((s) => ({
          created: new Date(s.createdAt),
          lastSeen: new Date(s.lastSeenAt),
          ip: s.ip,
          browser: browserOf(s.userAgent),
        }));
        printJsonOrTable(opts.json, rows);
      }),
    );
  user
    .command('signout <address>')
    .description("sign an account out everywhere: all its web sessions and its open IMAP, POP3 and SMTP connections end (clients with a valid client-specific password may log in again)")
    .action((address: string) =>
      withContext(async (ctx) => {
        const account = await ctx.accounts.get(address);
        const { sessions } = await signOutEverywhere(ctx, account.id, cliRequest);
        process.stdout.write(`ended ${sessions} web session(s) of ${account.address} and its open mail connections\n`);
      }),
    );
  program
    .command('audit [address]')
    .description('security events (sign-ins, 2FA changes, resets, admin actions) of one account or of all, newest first')
    .option('--limit <n>', 'how many events (1-1000, default 50)')
    .option('--type <type>', 'only events of this type, e.g. admin_reset_2fa')
    .option('--actor <who>', 'only events done by this administrator (address) or operator (user@host)')
    .option('--ip <ip>', 'only events from this IP address')
    .option('--since <date>', 'only events at or after this date, e.g. 2026-12-01')
    .option('--until <date>', 'only events before this date')
    .option('--before <id>', 'the page after the event with this id (from --json)')
    .option('--json', 'print JSON')
    .action((address: string | undefined, opts: { limit?: string; type?: string; actor?: string; ip?: string; since?: string; until?: string; before?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const limit = auditLimit.safeParse(opts.limit ?? 50);
        if (!limit.success) throw new CliError(`--limit ${opts.limit}: must be a whole number from 1 to 1000`);
        if (opts.type && !(auditTypes as readonly string[]).includes(opts.type)) throw new CliError(`--type ${opts.type}: not an event type; one of ${auditTypes.join(', ')}`);
        if (opts.before && !auditEventId.test(opts.before)) throw new CliError(`--before ${opts.before}: not an event id`);
        const date = (name: string, value: string | undefined) => {
          if (value === undefined) return undefined;
          const d = new Date(value);
          if (Number.isNaN(d.getTime())) throw new CliError(`--${name} ${value}: not a date, e.g. 2026-12-01`);
          return d;
        };
        const accountId = address ? (await ctx.accounts.get(address)).id : undefined;
        const filter = { accountId, type: opts.type, actor: opts.actor, ip: opts.ip, from: date('since', opts.since), to: date('until', opts.until) };
        const events = await ctx.admin.auditLog(filter, limit.data, opts.before);
        printJsonOrTable(opts.json, events.map((e) => ({ ...(opts.json ? { id: e.id } : {}), ...eventView(e, opts.json), ...(address ? {} : { account: e.accountId }) })));
      }),
    );
}
