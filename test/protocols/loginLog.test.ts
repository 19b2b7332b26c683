import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { testPostern } from '../helpers/context.ts';
import { startTestServers } from '../helpers/mailServers.ts';
import { RawClient } from '../helpers/rawClient.ts';

/** A pino logger at info level whose lines the test reads back, raw and parsed. */
function capturedLog() {
  const raw: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { raw.push(String(chunk)); done(); } }));
  return { log, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const password = 'Known-Pass-4711';
const captured = capturedLog();
let env: Awaited<ReturnType<typeof testPostern>>;

before(async () => {
  env = await testPostern({ log: captured.log }, { POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: '0' });
  await env.ctx.accounts.create({ address: 'alice@example.edu', password });
});
after(() => env.cleanup());

test('E1 IMAP, POP3 and SMTP logins are logged with protocol, user, result and IP, and the password appears nowhere in the log', async () => {
  const { ports } = env.ctx.config;
  const imap = await RawClient.connect(ports.imaps, true);
  await imap.until(/^\* OK/m);
  assert.match(await imap.command('a1', `LOGIN alice@example.edu "wrong ${password}x"`), /^a1 NO/m);
  imap.send(`a2 LOGIN alice@example.edu {${password.length}+}\r\n${password}\r\n`);
  assert.match(await imap.until(/^a2 (OK|NO|BAD)/m), /^a2 OK/m);
  await imap.command('a3', 'LOGOUT');
  await imap.waitClosed();

  const pop3 = await RawClient.connect(ports.pop3s, true);
  await pop3.until(/^\+OK/m);
  pop3.send('USER alice@example.edu\r\n');
  await pop3.until(/^\+OK/m);
  pop3.send(`PASS ${password}\r\n`);
  assert.match(await pop3.until(/^[+-]/m), /^\+OK/m);
  pop3.send('QUIT\r\n');
  await pop3.waitClosed();

  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtps, secure: true, auth: { user: 'alice@example.edu', pass: password }, tls: { rejectUnauthorized: false } });
  await smtp.sendMail({ from: 'alice@example.edu', to: 'alice@example.edu', subject: 'log test', text: 'hello' });
  smtp.close();
  // The close lines come from the servers' side of each socket, a moment after the client's.
  await new Promise((r) => setTimeout(r, 300));

  const lines = captured.lines();
  const logins = lines.filter((l) => l.msg === 'login').map((l) => `${l.protocol} ${l.user} ${l.result} ${l.ip}`);
  assert.deepEqual(logins, [
    'imap alice@example.edu invalid 127.0.0.1',
    'imap alice@example.edu ok 127.0.0.1',
    'pop3 alice@example.edu ok 127.0.0.1',
    'smtp alice@example.edu ok 127.0.0.1',
  ]);
  for (const protocol of ['imap', 'pop3', 'smtp']) {
    const mine = lines.filter((l) => l.protocol === protocol);
    const conn = mine.find((l) => l.msg === 'login' && l.result === 'ok')?.conn;
    assert.ok(conn, `${protocol} login has a connection id`);
    assert.deepEqual(mine.filter((l) => l.conn === conn && l.msg !== 'login').map((l) => l.msg), ['connection opened', 'connection closed'], protocol);
  }
  assert.ok(!captured.raw.join('').includes(password), 'the password is not in the log');
});

test('the cause of an IMAP [SERVERBUG] reply and a POP3 server error is logged with the connection id', async () => {
  const { log, lines } = capturedLog();
  const servers = await startTestServers({}, log);
  try {
    servers.store.listMailboxes = async () => { throw new Error('disk on fire'); };
    servers.store.openMaildrop = async () => { throw new Error('maildrop on fire'); };
    const imap = await RawClient.connect(servers.imap.tlsPort!, true);
    await imap.until(/^\* OK/m);
    await imap.command('a1', 'LOGIN alice alice-pw');
    assert.match(await imap.command('a2', 'LIST "" "*"'), /^a2 NO \[SERVERBUG\] LIST failed/m);
    imap.socket.destroy();
    const pop3 = await RawClient.connect(servers.pop3.tlsPort!, true);
    await pop3.until(/^\+OK/m);
    pop3.send('USER alice\r\nPASS alice-pw\r\n');
    assert.match(await pop3.until(/^-ERR/m), /-ERR Server error/);
    pop3.socket.destroy();
  } finally {
    await servers.close();
  }
  for (const [protocol, message] of [['imap', 'disk on fire'], ['pop3', 'maildrop on fire']]) {
    const failed = lines().find((l) => l.protocol === protocol && l.msg === 'command failed');
    assert.equal((failed?.err as { message?: string } | undefined)?.message, message, protocol);
    assert.equal(failed?.conn, lines().find((l) => l.protocol === protocol && l.msg === 'login')?.conn, `${protocol}: the same connection id as its login`);
  }
});
