import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testAccounts } from '../helpers/accounts.ts';
import { rejects } from '../helpers/assertions.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase, testPostgresUrl, withSchemaLock } from '../helpers/db.ts';
import { MailStore } from '../../src/mail/mailStore.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { databaseBlobStore } from '../../src/store/blobs.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import { up as fillUsage } from '../../src/store/migrations/0982_mail_usage.ts';

const message = (subject: string, body = 'hello') => Buffer.from(`Subject: ${subject}\r\nMessage-ID: <${Math.random()}@x>\r\n\r\n${body}\r\n`);

forEachDatabase('quota usage', (getStore) => {
  let n = 0;
  const clock = new FakeClock();
  const node = (store: Store) =>
    new MailStore({ repo: mailRepo(store), blobs: databaseBlobStore(store), bus: memoryBus(), accounts: testAccounts(store.db, clock).repo, clock, maxMessageBytes: 100_000 });

  async function setup(quotaBytes?: number) {
    const store = getStore();
    const accounts = testAccounts(store.db, clock);
    if (!(await accounts.repo.domainExists('example.edu'))) await accounts.addDomain('example.edu');
    const account = await accounts.create({ address: `usage${n++}@example.edu`, password: 'a long enough pass', quotaBytes });
    return { store, accounts, account, mail: node(store) };
  }

  /** What usage means: the sizes of the account's message rows, summed over the rows themselves. */
  async function summed(store: Store, accountId: string): Promise<number> {
    const r = await store.db.selectFrom('messages').select((eb) => eb.fn.sum<number>('size').as('bytes')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.bytes ?? 0);
  }

  /** A second node on the same database (PostgreSQL); SQLite is served by one process. */
  async function otherNode(store: Store): Promise<{ mail: MailStore; close(): Promise<void> }> {
    if (store.dialect !== 'postgres') return { mail: node(store), close: async () => {} };
    const second = await openStore({ databaseUrl: testPostgresUrl, schema: store.schema });
    return { mail: node(second), close: () => second.close() };
  }

  test('usage follows deliveries, copies (counted again), moves, expunges and mailbox deletion', async () => {
    const { store, account, mail } = await setup();
    const usage = () => mail.repo.usage(account.id);
    assert.equal(await usage(), 0);
    const inbox = await mail.mailbox(account.id, 'INBOX');
    const raws = [message('one'), message('two', 'x'.repeat(500)), message('three', 'y'.repeat(70))];
    for (const raw of raws) await mail.deliver(account.id, raw);
    const sizes = raws.map((m) => m.length);
    assert.equal(await usage(), sizes[0] + sizes[1] + sizes[2]);

    const archive = await mail.createMailbox(account.id, 'Archive');
    await mail.copy(inbox, [[1, 2]], archive);
    assert.equal(await usage(), sizes[0] * 2 + sizes[1] * 2 + sizes[2], 'a copy counts again');
    await mail.move(inbox, [[3, 3]], archive);
    assert.equal(await usage(), sizes[0] * 2 + sizes[1] * 2 + sizes[2], 'a move adds and removes the same bytes');

    await mail.setFlags(inbox.id, [[2, 2]], 'add', ['\\Deleted']);
    await mail.expunge(inbox.id);
    assert.equal(await usage(), sizes[0] * 2 + sizes[1] + sizes[2]);
    await mail.discard(inbox.id, [[1, 1]]);
    assert.equal(await usage(), sizes[0] + sizes[1] + sizes[2]);

    await mail.deleteMailbox(account.id, 'Archive');
    assert.equal(await usage(), 0);
    assert.equal(await usage(), await summed(store, account.id));
  });

  test('after a mix of operations, deliveries from two nodes at once included, usage is the sum of the rows', async () => {
    const { store, account, mail } = await setup();
    const other = await otherNode(store);
    try {
      const inbox = await mail.mailbox(account.id, 'INBOX');
      const lists = await mail.createMailbox(account.id, 'Lists');
      // Into two mailboxes, so that the deliveries do not queue on one mailbox row but meet at the account's usage.
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const raw = message(`m${i}`, 'z'.repeat(i * 37));
          return i % 2 ? mail.deliver(account.id, raw) : other.mail.append(lists, raw);
        }),
      );
      assert.equal((await mail.uids(inbox.id)).length + (await mail.uids(lists.id)).length, 30);
      await Promise.all([mail.copy(inbox, [[1, 5]], lists), other.mail.setFlags(lists.id, [[1, 4]], 'add', ['\\Deleted']).then(() => other.mail.expunge(lists.id))]);
      await mail.move(lists, [[6, 9]], inbox);
      const junk = await mail.specialMailbox(account.id, '\\Junk');
      await Promise.all([mail.deliver(account.id, message('spam', 'j'.repeat(900)), '\\Junk'), other.mail.deliver(account.id, message('ham'))]);
      await mail.discard(junk.id, [[1, 1]]);
      const direct = await summed(store, account.id);
      assert.ok(direct > 0);
      assert.equal(await mail.repo.usage(account.id), direct);
    } finally {
      await other.close();
    }
  });

  test('deliveries racing for the last room: the one that does not fit is refused, the quota is never overshot', async () => {
    const { store, account, mail } = await setup(2000);
    const other = await otherNode(store);
    try {
      const lists = await mail.createMailbox(account.id, 'Lists');
      const inbox = await mail.mailbox(account.id, 'INBOX');
      const [a, b] = [message('a', 'a'.repeat(1200)), message('b', 'b'.repeat(1200))];
      // Both fit alone; hasRoom (the early check) says yes to each, only one of them is stored.
      assert.ok((await mail.hasRoom(account, a.length)) && (await other.mail.hasRoom(account, b.length)));
      const results = await Promise.allSettled([mail.deliver(account.id, a), other.mail.append(lists, b)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected');
      await rejects(Promise.reject(refused!.reason), 'quota_exceeded');
      const used = await mail.repo.usage(account.id);
      assert.equal(used, await summed(store, account.id));
      assert.ok(used <= 2000);
      const [holder, elsewhere] = (await mail.uids(inbox.id)).length ? [inbox, lists] : [lists, inbox];
      await rejects(mail.copy(holder, [[1, 1]], elsewhere), 'quota_exceeded');
      assert.deepEqual(await mail.uids(elsewhere.id), []);
      assert.equal(await mail.repo.usage(account.id), await summed(store, account.id));
    } finally {
      await other.close();
    }
  });

  test('an account deleted takes its usage with it; the migration counts the messages already stored', async () => {
    const { store, accounts, account, mail } = await setup();
    const kept = await setup();
    await mail.deliver(account.id, message('gone'));
    await kept.mail.deliver(kept.account.id, message('kept', 'k'.repeat(300)));
    await kept.mail.deliver(kept.account.id, message('kept too'));
    await accounts.repo.remove(account.id);
    assert.equal((await store.db.selectFrom('mail_usage').select('bytes').where('account_id', '=', account.id).execute()).length, 0);

    // Schema changes take turns with the other test processes' migrations (helpers/db.ts).
    const ddl = (fn: () => Promise<void>) => (store.dialect === 'postgres' ? withSchemaLock(fn) : fn());
    await ddl(async () => {
      await store.db.schema.dropTable('mail_usage').execute();
      await fillUsage(store.db);
    });
    assert.equal(await kept.mail.repo.usage(kept.account.id), await summed(store, kept.account.id));
    assert.ok((await kept.mail.repo.usage(kept.account.id)) > 300);
    assert.equal(await kept.mail.repo.usage(account.id), 0);
  });
});
