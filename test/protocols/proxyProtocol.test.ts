import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { after, before, test } from 'node:test';
import { startImapServer } from '../../src/protocols/imap/server.ts';
import type { RunningListeners } from '../../src/protocols/listener.ts';
import { memorySlots } from '../../src/state/connectionSlots.ts';
import { MemoryMailStore } from '../helpers/memoryMailStore.ts';
import { testCertificate } from '../helpers/mailServers.ts';
import { RawClient } from '../helpers/rawClient.ts';

// Logins are accepted; each remembers the client address the server saw.
const seen: string[] = [];
let server: RunningListeners;
before(async () => {
  const { cert, key } = await testCertificate();
  server = await startImapServer({
    backend: new MemoryMailStore(),
    authenticate: async (_protocol, username, _password, remoteIp) => {
      seen.push(remoteIp);
      return { ok: true, accountId: username, credential: { kind: 'password' } };
    },
    host: '127.0.0.1',
    port: 0,
    tlsPort: 0,
    hostname: 'localhost',
    tls: { cert, key },
    allowPlaintextAuth: true,
    limits: { maxConnectionsPerUserIp: 2 },
    network: { trustedProxies: ['127.0.0.1/32'], slots: memorySlots() },
  });
});
after(() => server.close());

const v2Header = (ip: number[], port: number) =>
  Buffer.concat([Buffer.from('0d0a0d0a000d0a515549540a', 'hex'), Buffer.from([0x21, 0x11, 0, 12, ...ip, 127, 0, 0, 1, port >> 8, port & 0xff, 0x03, 0xe1])]);

/** A connection from a balancer on 127.0.0.1 that first sends `header`, then speaks IMAP (over TLS when `secure`). */
async function viaProxy(header: Buffer | string, secure: boolean): Promise<RawClient> {
  const raw = net.connect(secure ? server.tlsPort! : server.port!, '127.0.0.1');
  await new Promise((r) => raw.once('connect', r));
  raw.write(header);
  if (!secure) return new RawClient(raw);
  const s = tls.connect({ socket: raw, rejectUnauthorized: false });
  await new Promise((r) => s.once('secureConnect', r));
  return new RawClient(s);
}

async function login(c: RawClient, user = 'alice'): Promise<string> {
  await c.until(/^\* OK/m);
  return c.command('L', `LOGIN ${user} secret`);
}

test('O1 IMAP behind a trusted balancer sees the client address of its PROXY v1 or v2 header, before plain text and before TLS', async () => {
  seen.length = 0;
  for (const header of ['PROXY TCP4 192.0.2.10 127.0.0.1 40000 993\r\n', 'PROXY TCP6 2001:db8::7 ::1 40000 993\r\n', v2Header([198, 51, 100, 20], 40001)]) {
    const c = await viaProxy(header, true);
    assert.match(await login(c, `u${seen.length}`), /^L OK/m);
    c.close();
  }
  assert.deepEqual(seen, ['192.0.2.10', '2001:db8::7', '198.51.100.20']);
  for (const header of ['PROXY TCP4 192.0.2.11 127.0.0.1 40000 143\r\n', v2Header([198, 51, 100, 21], 40002)]) {
    const c = await viaProxy(header, false);
    await c.until(/^\* OK/m);
    assert.match(await c.command('N', 'NOOP'), /^N OK/m, 'the header is not taken for a command');
    c.close();
  }
});

test('O1 a PROXY header from an address that is not a trusted proxy is not believed, and a trusted proxy must send one', async () => {
  const forger = await RawClient.connect(server.port!, false, '127.0.0.2');
  await forger.until(/^\* OK/m);
  forger.send('PROXY TCP4 192.0.2.99 127.0.0.1 1 143\r\n');
  assert.match(await forger.until(/^PROXY BAD/m), /^PROXY BAD/m);
  forger.close();

  const garbled = await viaProxy('HELLO\r\n', false);
  await garbled.waitClosed();
  assert.ok(garbled.closed, 'a balancer connection without a PROXY header is closed');
});

test('O1 after login the cap is per account and client address (mail_max_userip_connections): a third connection of alice from one address is refused, bob from it and alice from elsewhere still get in', async () => {
  const from = (ip: number[]) => viaProxy(v2Header(ip, 50000), true);
  const held = [await from([203, 0, 113, 1]), await from([203, 0, 113, 1])];
  for (const c of held) assert.match(await login(c), /^L OK/m);
  const third = await from([203, 0, 113, 1]);
  assert.match(await login(third), /^L NO \[LIMIT\] Too many connections to this account from your address/m);
  assert.match(await login(await from([203, 0, 113, 1]), 'bob'), /^L OK/m);
  assert.match(await login(await from([203, 0, 113, 2])), /^L OK/m);
  held[0].close();
  await new Promise((r) => setTimeout(r, 50));
  assert.match(await third.command('L2', 'LOGIN alice secret'), /^L2 OK/m, 'a slot is free again once a connection ends');
});

test('O1 200 parallel logins from one campus NAT address all get in', async () => {
  const clients = await Promise.all(Array.from({ length: 200 }, (_, i) => viaProxy(v2Header([10, 0, 0, 1], 1000 + i), true).then(async (c) => ({ c, reply: await login(c, `student${i}`) }))));
  assert.equal(clients.filter(({ reply }) => /^L OK/m.test(reply)).length, 200);
  for (const { c } of clients) c.close();
});
