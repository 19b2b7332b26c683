import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { systemClock } from '../../src/core/ports.ts';
import { Redis } from 'ioredis';
import { MailStore, mailboxTopic } from '../../src/mail/mailStore.ts';
import { startImapServer } from '../../src/protocols/imap/server.ts';
import { MailStoreBackend } from '../../src/protocols/mailStoreBackend.ts';
import { redisBus } from '../../src/state/bus.ts';
import { fileBlobStore } from '../../src/store/blobs.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import { sqliteStore } from '../helpers/db.ts';
import { testCertificate } from '../helpers/mailServers.ts';
import { RawClient } from '../helpers/rawClient.ts';

const redisUrl = process.env.POSTERN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const blobs = mkdtempSync(join(tmpdir(), 'postern-nodes-'));
after(() => rmSync(blobs, { recursive: true, force: true }));

test('M2 IDLE on one node wakes within 1 s for a delivery on another node, over Redis pub/sub', async () => {
  const { store, cleanup } = await sqliteStore();
  const accounts = testAccounts(store.db, systemClock);
  await accounts.addDomain('example.edu');
  const accountId = (await accounts.create({ address: 'dave@example.edu', password: 'dave main password' })).id;
  const node = (bus: ReturnType<typeof redisBus>) =>
    new MailStore({ repo: mailRepo(store), blobs: fileBlobStore(blobs), bus, accounts: accounts.repo, clock: systemClock, maxMessageBytes: 100_000 });
  const busA = redisBus(redisUrl);
  const busB = redisBus(redisUrl);
  const nodeB = node(busB);
  const { cert, key } = await testCertificate();
  const server = await startImapServer({
    backend: new MailStoreBackend(node(busA)),
    authenticate: async () => ({ ok: true, accountId, credential: { kind: 'password' } }),
    host: '127.0.0.1',
    tlsPort: 0,
    hostname: 'localhost',
    tls: { cert, key },
  });
  try {
    const c = await RawClient.connect(server.tlsPort!, true);
    await c.until(/^\* OK/m);
    await c.command('L', 'LOGIN dave x');
    assert.match(await c.command('S', 'SELECT INBOX'), /^\* 0 EXISTS/m);
    c.send('I IDLE\r\n');
    await c.until(/^\+ idling/m);
    // The other node publishes only once Redis has the subscription.
    const topic = mailboxTopic((await nodeB.mailbox(accountId, 'INBOX')).id);
    const probe = new Redis(redisUrl);
    while (Number(((await probe.pubsub('NUMSUB', topic)) as [string, number])[1]) < 1) await new Promise((r) => setTimeout(r, 10));
    probe.disconnect();
    const started = Date.now();
    await nodeB.deliver(accountId, Buffer.from('Subject: from node B\r\n\r\nhi\r\n'));
    await c.until(/^\* 1 EXISTS/m, 1000);
    assert.ok(Date.now() - started < 1000);
    c.send('DONE\r\n');
    await c.until(/^I OK/m);
    c.close();
  } finally {
    await server.close();
    await Promise.all([busA.close(), busB.close()]);
    await cleanup();
  }
});
