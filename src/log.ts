import { styleText } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

// Secret-bearing fields are never logged, wherever they appear.
const redact = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'password', 'code', 'token', 'secret', '*.password', '*.code', '*.token', '*.secret'];

const levels: Record<number, [name: string, colour: Parameters<typeof styleText>[0]]> = {
  10: ['TRACE', 'gray'], 20: ['DEBUG', 'gray'], 30: ['INFO ', 'green'], 40: ['WARN ', 'yellow'], 50: ['ERROR', 'red'], 60: ['FATAL', 'red'],
};
const omitted = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err']);

/** One pino JSON line as a person reads it: `09:45:12 INFO  message key=value …`, an error's stack below. */
export function formatLine(json: string): string {
  const entry = JSON.parse(json) as Record<string, unknown> & { level: number; time: number; msg?: string; err?: { stack?: string; message?: string } };
  const [name, colour] = levels[entry.level] ?? ['?    ', 'white'];
  const time = new Date(entry.time).toTimeString().slice(0, 8);
  const fields = Object.entries(entry).filter(([key]) => !omitted.has(key)).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const stack = entry.err ? `\n    ${(entry.err.stack ?? entry.err.message ?? '').replace(/\n/g, '\n    ')}` : '';
  return `${styleText('gray', time)} ${styleText(colour, name)} ${[entry.msg ?? '', ...fields].join(' ')}${stack}\n`;
}

const pretty = (out: NodeJS.WriteStream): DestinationStream => ({ write: (line: string) => void out.write(formatLine(line)) });

/**
 * The node's logger. On a terminal in development, lines are formatted for a person (our own few
 * lines rather than pino-pretty and its dependencies); otherwise (a pipe, a file, production) JSON
 * lines for a log collector.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'dev'>, out: NodeJS.WriteStream = process.stdout): Logger {
  if (config.dev && out.isTTY) return pino({ level: config.logLevel, redact }, pretty(out));
  return pino({ level: config.logLevel, redact }, out === process.stdout ? stdoutLines() : out);
}

/**
 * Standard output as pino's own asynchronous writer: a line a request would otherwise cost a
 * synchronous write to the pipe or file (Node writes stdout pipes synchronously on Linux); lines
 * written meanwhile go out together, and what is pending is flushed when the process exits.
 */
const stdoutLines = (): DestinationStream => pino.destination({ dest: 1, sync: false, minLength: 0 });
