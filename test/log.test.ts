import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pino from 'pino';
import { createLogger, stdoutLines } from '../src/log.ts';

/** A stand-in for stdout that says whether it is a terminal and keeps what was written. */
function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => void written.push(s) } as unknown as NodeJS.WriteStream };
}

test('the console log is for a person on a terminal in development, JSON lines in a pipe or in production', () => {
  const terminal = output(true);
  createLogger({ logLevel: 'info', dev: true }, terminal.stream).child({ protocol: 'imap', conn: 'c1' }).warn({ user: 'alice@example.edu', password: 'secret!' }, 'login');
  const [line] = terminal.written;
  assert.ok(!line.trimStart().startsWith('{'), line);
  assert.match(line, /^\S*\d\d:\d\d:\d\d\S* \S*WARN\S* +login protocol=imap conn=c1 user=alice@example\.edu password=\[Redacted\]\n$/);

  for (const [isTTY, dev] of [[false, true], [true, false]]) {
    const out = output(isTTY);
    createLogger({ logLevel: 'info', dev }, out.stream).info('Server listening');
    assert.equal(JSON.parse(out.written[0]).msg, 'Server listening');
  }
});

test('an error in the terminal log shows its message and stack below the line', () => {
  const terminal = output(true);
  createLogger({ logLevel: 'info', dev: true }, terminal.stream).error({ err: new Error('disk on fire') }, 'command failed');
  assert.match(terminal.written[0], /command failed\n {4}Error: disk on fire\n +at /);
});

test('secret fields are censored one level down too: in a logged object, in a child logger\'s fields, in an error', () => {
  const out = output(false);
  const log = createLogger({ logLevel: 'info', dev: false }, out.stream);
  const failure = Object.assign(new Error('refused'), { code: 'E_REFUSED', token: 'tok-1' });
  log.child({ conn: 'c1', user: { address: 'alice@example.edu', secret: 'hunter2' } }).info({ login: { password: 'pw-1', code: '5WLC' }, err: failure }, 'login');
  const line = JSON.parse(out.written[0]);
  assert.deepEqual(line.user, { address: 'alice@example.edu', secret: '[Redacted]' });
  assert.deepEqual(line.login, { password: '[Redacted]', code: '[Redacted]' });
  assert.equal(line.err.message, 'refused');
  assert.equal(line.err.token, '[Redacted]');
  for (const secret of ['hunter2', 'pw-1', '5WLC', 'tok-1']) assert.ok(!out.written[0].includes(secret), secret);
});

test('O1 standard output: lines go out soon after they are logged, a burst whole, and a node with nothing to log writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'postern-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'out.log');
  const out = stdoutLines(openSync(file, 'w'));
  const log = pino(out);
  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  const until = async (count: number) => {
    for (let waited = 0; lines() < count && waited < 5000; waited += 20) await sleep(20);
    return lines();
  };

  log.info('one line, far below the 8 KiB written at once');
  assert.equal(await until(1), 1);
  // More than the 8 KiB written at once: the lines logged while one write is under way go out after it.
  for (let i = 0; i < 3000; i++) log.info({ i }, 'a line of a burst');
  assert.equal(await until(3001), 3001);

  let writes = 0;
  (out as unknown as EventEmitter).on('write', () => writes++);
  await sleep(600);
  assert.equal(writes, 0);
  log.info('and the next line still goes out');
  assert.equal(await until(3002), 3002);
});
