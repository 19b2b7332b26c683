import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../helpers/clock.ts';
import { MailStore } from '../../src/mail/mailStore.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { accountRepo } from '../../src/store/accountRepo.ts';
import { databaseBlobStore } from '../../src/store/blobs.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import { postgresStore, testPostgresUrl } from '../helpers/db.ts';

const node = (store: Store) =>
  new MailStore({ repo: mailRepo(store), blobs: databaseBlobStore(store), bus: memoryBus(), accounts: accountRepo(store.db), clock: new FakeClock(), maxMessageBytes: 1_000_000 });

// Several nodes exist only on PostgreSQL: a SQLite data dir is served by one process (see acquireLock),
// whose deliveries the mail store suite already runs concurrently.
test('two nodes delivering into one mailbox at once get distinct, strictly ascending UIDs [postgres]', async () => {
  const first = await postgresStore();
  const second = await openStore({ databaseUrl: testPostgresUrl, schema: first.store.schema });
  try {
    const accounts = testAccounts(first.store.db, new FakeClock());
    await accounts.addDomain('example.edu');
    const account = await accounts.create({ address: 'busy@example.edu', password: 'busy main password' });
    const [a, b] = [node(first.store), node(second)];
    const inbox = await a.mailbox(account.id, 'INBOX');
    const deliveries = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).deliver(account.id, Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`)));
    const uids = (await Promise.all(deliveries)).map((r) => r.uid);
    assert.deepEqual([...uids].sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(await a.uids(inbox.id), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.equal((await b.mailbox(account.id, 'INBOX')).uidNext, 41);
  } finally {
    await second.close();
    await first.cleanup();
  }
});
