import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
before(async () => {
  servers = await startTestServers({ pop3: { maxConnectionsPerIp: 5, maxAuthFailures: 2 } });
  servers.store.deliver('alice', 'Subject: one\r\n\r\nbody\r\n');
});
after(() => servers.close());

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(servers.pop3.tlsPort!, true);
  await c.until(/^\+OK/m);
  return c;
}

async function stillAnswers(): Promise<void> {
  while (servers.pop3.connections() > 0) await new Promise((r) => setTimeout(r, 10));
  const c = await connect();
  c.send('CAPA\r\n');
  assert.match(await c.until(/^\.\r$/m), /UIDL/);
  c.close();
}

test('M2 POP3 refuses transaction commands before login and bad arguments after', async () => {
  const c = await connect();
  c.send('STAT\r\n');
  assert.match(await c.until(/^-ERR/m), /not allowed before login/);
  c.send('PASS x\r\n');
  assert.match(await c.until(/^-ERR/m), /USER first/);
  c.send('USER alice\r\nPASS alice-pw\r\n');
  await c.until(/^\+OK Maildrop has 1 messages/m);
  for (const bad of ['RETR 0', 'RETR 2', 'RETR x', 'TOP 1', 'DELE 9', 'LIST 5', 'FROB']) {
    c.send(`${bad}\r\n`);
    assert.match(await c.until(/^[-+]/m), /^-ERR/m, bad);
  }
  c.close();
});

test('M2 POP3 closes a connection after too many failed logins, and on a line over the limit', async () => {
  const c = await connect();
  c.send('USER alice\r\nPASS wrong\r\n');
  await c.until(/^-ERR \[AUTH\]/m);
  c.send('USER alice\r\nPASS wrong\r\n');
  await c.until(/^-ERR \[AUTH\]/m);
  await c.waitClosed();
  const d = await connect();
  d.send(Buffer.alloc(100_000, 0x41));
  assert.match(await d.until(/^-ERR/m), /Line too long/);
  await d.waitClosed();
  await stillAnswers();
});

test('M2 POP3 survives random bytes and limits connections per IP', async () => {
  const c = await connect();
  for (let i = 0; i < 10; i++) c.send(randomBytes(500));
  c.close();
  await stillAnswers();
  const clients = await Promise.all(Array.from({ length: 5 }, () => connect()));
  const extra = await RawClient.connect(servers.pop3.tlsPort!, true);
  assert.match(await extra.until(/^-ERR/m), /Too many connections/);
  for (const x of [...clients, extra]) x.close();
});
