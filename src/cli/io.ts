import { hostname, userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.ts';
import { createContext, type Context } from '../context.ts';
import type { RequestInfo } from '../core/audit.ts';
import { PosternError } from '../core/errors.ts';
import { errorMessage, langFromHeader } from '../i18n/index.ts';
import pino from 'pino';

/** Changes made from the command line have no browser and no IP address; they name the operator (OS user and host). */
export const cliRequest: RequestInfo & { operator: string } = { ip: null, userAgent: null, operator: `${userInfo().username}@${hostname()}` };

export const cliLang = () => langFromHeader(process.env.POSTERN_LANG ?? process.env.LANG?.replace('_', '-'));

/** A one-line message for any error a command can meet; stack traces only for real bugs. */
export function describeError(err: unknown): string {
  if (err instanceof PosternError) return errorMessage(cliLang(), err);
  if (err instanceof Error && ['ConfigError', 'StoreError', 'StartupError', 'CliError'].includes(err.name)) return err.message;
  return (err as Error)?.stack ?? String(err);
}

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Opens the configured store (migrating it) for one command, then closes it. */
export async function withContext<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await createContext(config, { log: pino({ level: 'silent' }) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const writer = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
    writer._writeToOutput = (s: string) => {
      if (s.startsWith(question)) writer.output.write(question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** A password from stdin (`--password-stdin`) or a no-echo prompt asked twice; never from argv. */
export async function readPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new CliError('no terminal to ask for the password: pipe it in with --password-stdin');
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat password: ');
  if (first !== second) throw new CliError('the two passwords differ');
  return first;
}

export function printJsonOrTable(json: boolean | undefined, rows: Record<string, unknown>[]): void {
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : v instanceof Date ? v.toISOString() : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write([line(keys), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n') + '\n');
}
