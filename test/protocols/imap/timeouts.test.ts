import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
before(async () => (servers = await startTestServers({ imap: { idleTimeoutMs: 300, idleCommandTimeoutMs: 600 }, pop3: { idleTimeoutMs: 300 } })));
after(() => servers.close());

test('M2 an idle IMAP connection is closed after the idle timeout with BYE', async () => {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  assert.match(await c.until(/^\* BYE/m, 2000), /Idle timeout/);
  await c.waitClosed();
});

test('M2 IDLE has its own, longer timeout', async () => {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  await c.command('L', 'LOGIN alice alice-pw');
  await c.command('S', 'SELECT INBOX');
  const started = Date.now();
  c.send('I IDLE\r\n');
  await c.until(/^\+ idling/m);
  await c.until(/^\* BYE/m, 3000);
  assert.ok(Date.now() - started >= 550);
});

test('M2 an idle POP3 connection is closed after the idle timeout', async () => {
  const c = await RawClient.connect(servers.pop3.tlsPort!, true);
  await c.until(/^\+OK/m);
  assert.match(await c.until(/^-ERR/m, 2000), /Idle timeout/);
  await c.waitClosed();
});
