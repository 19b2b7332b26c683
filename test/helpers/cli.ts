import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs `postern <args>` to completion, as a user would from a shell. */
export function postern(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, [main, ...args], {
    env: { ...process.env, LANG: 'C', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Tests never take the fixed development ports: several suites run at once. */
export const protocolPortsAny = {
  POSTERN_SMTP_PORT: '0',
  POSTERN_SUBMISSION_PORT: '0',
  POSTERN_SMTPS_PORT: '0',
  POSTERN_IMAP_PORT: '0',
  POSTERN_IMAPS_PORT: '0',
  POSTERN_POP3_PORT: '0',
  POSTERN_POP3S_PORT: '0',
};

/** Starts `postern serve` and resolves with the process and its output once it printed `until` (or exited). */
export function posternServe(env: Record<string, string>, until = /Postern is running/) {
  const child = spawn(process.execPath, [main, 'serve'], { env: { ...process.env, LANG: 'C', POSTERN_LOG_LEVEL: 'warn', ...protocolPortsAny, ...env } });
  let out = '';
  return new Promise<{ child: typeof child; output: () => string; code: number | null }>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until.test(out)) resolve({ child, output: () => out, code: null });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ child, output: () => out, code }));
  });
}
