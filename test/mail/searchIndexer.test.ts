import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Emails } from '../../src/mail/emails.ts';
import { MailStore } from '../../src/mail/mailStore.ts';
import { maxWaitMs, quietMs, SearchIndexer } from '../../src/mail/searchIndexer.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { fileBlobStore } from '../../src/store/blobs.ts';
import { emailRepo } from '../../src/store/emailRepo.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import { searchBacklogRepo } from '../../src/store/searchIndex.ts';
import { testAccounts } from '../helpers/accounts.ts';
import { FakeClock } from '../helpers/clock.ts';
import { forEachDatabase } from '../helpers/db.ts';

const blobRoot = mkdtempSync(join(tmpdir(), 'postern-index-'));
after(() => rmSync(blobRoot, { recursive: true, force: true }));

const message = (subject: string, body: string) => Buffer.from(`From: a@example.edu\r\nTo: b@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random()}@x>\r\n\r\n${body}\r\n`);

forEachDatabase('full-text index after delivery', (getStore) => {
  let n = 0;
  async function setup() {
    const store = getStore();
    const clock = new FakeClock();
    const accounts = testAccounts(store.db, clock);
    if (!(await accounts.repo.domainExists('example.edu'))) await accounts.addDomain('example.edu');
    const account = await accounts.create({ address: `index${n++}@example.edu`, password: 'a long enough pass' });
    const blobs = fileBlobStore(join(blobRoot, `${store.dialect}-${n}`));
    const mail = new MailStore({ repo: mailRepo(store), blobs, bus: memoryBus(), accounts: accounts.repo, clock, maxMessageBytes: 100_000 });
    const indexer = new SearchIndexer(searchBacklogRepo(store), blobs);
    const emails = new Emails(emailRepo(store), mail, indexer);
    const words = async (blobId: string) => (await store.db.selectFrom('search_tokens').select('token').where('account_id', '=', account.id).where('blob_id', '=', blobId).execute()).map((r) => r.token);
    const queued = async () => (await store.db.selectFrom('search_backlog').select('blob_id').where('account_id', '=', account.id).execute()).map((r) => r.blob_id);
    const found = async (text: string) => (await emails.query(account.id, { filter: { operator: 'AND', conditions: [{ text }] }, sort: [], collapseThreads: false }, 0, 10)).map((h) => h.blobId);
    return { store, account, mail, indexer, words, queued, found };
  }

  test('M5 a delivered Email waits for the index; the background pass writes its words once deliveries pause', async () => {
    const { account, mail, indexer, words, queued } = await setup();
    await mail.deliver(account.id, message('budget', 'the library opens at nine'));
    const [row] = await mail.messages((await mail.mailbox(account.id, 'INBOX')).id);
    assert.deepEqual(await queued(), [row.blobId]);
    assert.deepEqual(await words(row.blobId), []);
    // Mail still arriving: the pass leaves it for now.
    assert.equal(await indexer.runDue(() => Date.now()), 0);
    assert.ok((await indexer.runDue(() => Date.now() + quietMs + 10)) >= 1);
    assert.deepEqual(await queued(), []);
    assert.ok((await words(row.blobId)).includes('library'));
    assert.ok((await words(row.blobId)).includes('budget'));
  });

  test('M5 mail arriving without a pause is indexed once the oldest has waited long enough', async () => {
    const { store, account, mail, indexer, queued } = await setup();
    await mail.deliver(account.id, message('first', 'one'));
    await mail.deliver(account.id, message('second', 'two'));
    await store.db.updateTable('search_backlog').set({ queued_at: Date.now() - maxWaitMs - 1000 }).where('account_id', '=', account.id).execute();
    await mail.deliver(account.id, message('third', 'three'));
    assert.ok((await indexer.runDue(() => Date.now())) >= 3);
    assert.deepEqual(await queued(), []);
  });

  test('M5 a search finds an Email delivered a moment before it, and indexes only its own account', async () => {
    const a = await setup();
    const b = await setup();
    await a.mail.deliver(a.account.id, message('选课通知', '下学期的选课从周一开始'));
    await b.mail.deliver(b.account.id, message('选课通知', '下学期的选课从周一开始'));
    const [row] = await a.mail.messages((await a.mail.mailbox(a.account.id, 'INBOX')).id);
    assert.deepEqual(await a.found('选课'), [row.blobId]);
    assert.deepEqual(await a.queued(), []);
    assert.equal((await b.queued()).length, 1);
  });

  test('M5 an Email removed before the indexer reached it leaves neither words nor a queue entry', async () => {
    const { account, mail, indexer, words, queued } = await setup();
    await mail.deliver(account.id, message('gone', 'soon deleted'));
    const inbox = await mail.mailbox(account.id, 'INBOX');
    const [row] = await mail.messages(inbox.id);
    await mail.discard(inbox.id, [[row.uid, row.uid]]);
    assert.deepEqual(await queued(), []);
    await indexer.runDue(() => Date.now() + quietMs + 10);
    assert.deepEqual(await words(row.blobId), []);
  });
});
