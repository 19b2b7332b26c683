import { styleText } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

// Secret-bearing fields are never logged: not at the top of a line, nor in an object logged there.
const censor = '[Redacted]';
const secretFields = ['password', 'code', 'token', 'secret'];
const redact = { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', ...secretFields], censor };

function withoutSecrets<T extends object>(value: T): T {
  let copy: Record<string, unknown> | undefined;
  for (const field of secretFields) if (Object.hasOwn(value, field)) (copy ??= { ...value } as Record<string, unknown>)[field] = censor;
  return (copy ?? value) as T;
}

/**
 * The fields one level down (`{ user: { password } }`) are censored here rather than by pino's
 * `*.password` paths: a wildcard path makes pino parse every path again for every field of every
 * line, which cost five times the line itself (and the web app writes one per request). An error
 * is censored once serialized, as the wildcard did.
 */
function withoutNestedSecrets<T extends Record<string, unknown>>(fields: T): T {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (key === 'err' || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const censored = withoutSecrets(value);
    if (censored !== value) (copy ??= { ...fields })[key] = censored;
  }
  return (copy ?? fields) as T;
}

const censoredError = (serialized: unknown) => (serialized !== null && typeof serialized === 'object' ? withoutSecrets(serialized) : serialized);

const options = { redact, formatters: { log: withoutNestedSecrets }, serializers: { err: (err: Error) => censoredError(pino.stdSerializers.err(err)) } };

/**
 * A child's own fields get the same censoring (pino runs no formatter on them). Every logger made
 * from this one has its `child`: pino makes each child an object whose prototype is its parent.
 */
function censoringChildren(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, childOptions?: Parameters<Logger['child']>[1]) {
    return child.call(this, withoutNestedSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

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
  const destination = config.dev && out.isTTY ? pretty(out) : out === process.stdout ? stdoutLines() : out;
  return censoringChildren(pino({ level: config.logLevel, ...options }, destination));
}

const flushAfterMs = 100;

/**
 * Standard output as pino's own asynchronous writer: a line a request would otherwise cost a
 * synchronous write to the pipe or file (Node writes stdout pipes synchronously on Linux). Lines
 * go out 8 KiB at a time, or a tenth of a second after the first line not yet written: a write for
 * every request's line or two (and the reader woken for each) cost a tenth of a busy web node's
 * CPU. The flush is timed from the lines, not every tenth of a second as sonic-boom's
 * `periodicFlush` does: that one writes even when nothing waits, and an idle node spent a fortieth
 * of a core on those empty writes. What is pending is flushed when the process exits.
 */
export function stdoutLines(fd = 1): DestinationStream {
  const out = pino.destination({ dest: fd, sync: false, minLength: 8192 });
  let due: NodeJS.Timeout | undefined;
  let waiting = 0;
  const flushSoon = () => {
    due ??= setTimeout(() => {
      due = undefined;
      out.flush();
    }, flushAfterMs).unref();
  };
  const write = out.write.bind(out);
  out.write = (line: string) => {
    waiting += Buffer.byteLength(line);
    flushSoon();
    return write(line);
  };
  out.on('write', (n: number) => (waiting -= n));
  // A flush while a write is under way writes nothing: what came meanwhile waits for the next one.
  out.on('drain', () => waiting > 0 && flushSoon());
  return out;
}
