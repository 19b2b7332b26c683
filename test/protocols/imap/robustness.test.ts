import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
before(async () => {
  servers = await startTestServers({ imap: { maxConnectionsPerIp: 600, maxLiteralBytes: 1024 * 1024 } });
  for (let i = 0; i < 20; i++) servers.store.deliver('alice', `Subject: message ${i}\r\n\r\n${'body '.repeat(200)}\r\n`);
});
after(() => servers.close());

async function loggedIn(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('L', 'LOGIN alice alice-pw'), /^L OK/m);
  return c;
}

async function stillAnswers(): Promise<void> {
  const c = await loggedIn();
  assert.match(await c.command('N', 'NOOP'), /^N OK/m);
  c.close();
}

test('M2 a 10 MB line without CRLF closes that connection with BYE, nothing else', async () => {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  for (let i = 0; i < 10 && !c.closed; i++) c.send(chunk);
  assert.match(await c.until(/^\* BYE Line too long/m), /BYE/);
  await c.waitClosed();
  await stillAnswers();
});

test('M2 a {999999999} literal is refused before it is sent, and the session goes on', async () => {
  const c = await loggedIn();
  c.send('A1 APPEND INBOX {999999999}\r\n');
  assert.match(await c.until(/^A1 /m), /^A1 NO \[TOOBIG\]/m);
  assert.match(await c.command('A2', 'NOOP'), /^A2 OK/m);
  c.send('A3 APPEND INBOX {999999999+}\r\nxxxxxxxx');
  assert.match(await c.until(/BYE/), /\* BYE \[TOOBIG\]/);
  await c.waitClosed();
  await stillAnswers();
});

test('M2 random bytes get BAD replies or a BYE, never a crash', async () => {
  for (let i = 0; i < 5; i++) {
    const c = await RawClient.connect(servers.imap.tlsPort!, true);
    await c.until(/^\* OK/m);
    for (let j = 0; j < 20; j++) c.send(randomBytes(2000));
    c.send('\r\nZ1 NOOP\r\n');
    await c.until(/^Z1 OK|BYE/m).catch(() => assert.ok(c.closed));
    c.close();
  }
  await stillAnswers();
});

test('M2 500 parallel connections doing LOGIN/SELECT/FETCH/LOGOUT all succeed with bounded memory', async () => {
  const rssBefore = process.memoryUsage().rss;
  const one = async () => {
    const c = await loggedIn();
    assert.match(await c.command('S', 'SELECT INBOX'), /^S OK \[READ-WRITE\]/m);
    assert.match(await c.command('F', 'FETCH 1:5 (FLAGS BODY.PEEK[HEADER])'), /^F OK/m);
    c.send('O LOGOUT\r\n');
    await c.until(/^O OK/m);
    c.close();
  };
  const results = await Promise.allSettled(Array.from({ length: 500 }, one));
  const failed = results.filter((r) => r.status === 'rejected');
  assert.equal(failed.length, 0, String((failed[0] as PromiseRejectedResult | undefined)?.reason));
  const growth = process.memoryUsage().rss - rssBefore;
  assert.ok(growth < 400 * 1024 * 1024, `RSS grew by ${Math.round(growth / 1048576)} MiB`);
  await stillAnswers();
});
