import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import type { MailboxChange } from '../../src/protocols/imap/backend.ts';
import type { RunningListeners } from '../../src/protocols/listener.ts';
import { toRanges, type MailStoreBackend } from '../../src/protocols/mailStoreBackend.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { startStoreImapServer, type StoreImapServer } from '../helpers/storeImapServer.ts';

const raw = (subject: string) => Buffer.from(`From: 王五 <wangwu@example.edu>\r\nSubject: ${subject}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=GBK\r\n\r\npart one\r\n--b--\r\n`);

test('UID lists become ranges for the store', () => {
  assert.deepEqual(toRanges([5, 1, 2, 3, 9, 2]), [[1, 3], [5, 5], [9, 9]]);
});

forEachDatabase('IMAP over the mail store', (getStore) => {
  let imap: StoreImapServer;
  let backend: MailStoreBackend;
  let accountId: string;
  let server: RunningListeners;

  before(async () => {
    imap = await startStoreImapServer(getStore(), 'carol');
    ({ backend, accountId, server } = imap);
  });
  after(() => imap.close());

  test('M2 the backend opens a mailbox with a snapshot, hears changes, caches the structure and maps errors', async () => {
    const changes: MailboxChange[] = [];
    const opened = await backend.openMailbox(accountId, 'INBOX', true, (c) => changes.push(c));
    assert.equal(opened.snapshot.messages.length, 0);
    const [uid] = (await backend.append(accountId, 'INBOX', [{ raw: raw('first'), flags: ['\\Seen'], internalDate: new Date('2026-05-06T07:08:09Z') }])).uids;
    await backend.storeFlags(accountId, opened.snapshot.id, [uid], 'add', ['\\Deleted']);
    assert.deepEqual(await backend.expunge(accountId, opened.snapshot.id, [uid]), [uid]);
    for (let i = 0; i < 50 && changes.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(changes.map((c) => c.type), ['exists', 'flags', 'expunge']);
    opened.close();
    const second = { uid: (await backend.append(accountId, 'INBOX', [{ raw: raw('second'), flags: [], internalDate: new Date() }])).uids[0] };
    const box = await backend.openMailbox(accountId, 'INBOX', true, () => {});
    box.close();
    const load = async () => (await backend.loadMessages(accountId, box.snapshot.id, [second.uid, second.uid + 5], { raw: true, structure: true })).get(second.uid);
    const loaded = await load();
    assert.equal(loaded?.structure?.body.parts[0].params[0][1], 'GBK');
    assert.match(loaded?.raw?.toString() ?? '', /second/);
    assert.deepEqual((await load())?.structure, loaded?.structure);
    assert.equal((await backend.loadMessages(accountId, box.snapshot.id, [second.uid + 5], { raw: true, structure: false })).size, 0);
    await assert.rejects(backend.openMailbox(accountId, 'Nope', false, () => {}), { code: 'NONEXISTENT' });
    await assert.rejects(backend.createMailbox(accountId, 'INBOX'), { code: 'ALREADYEXISTS' });
    await assert.rejects(backend.deleteMailbox(accountId, '已发送'), { code: 'CANNOT' });
    await assert.rejects(backend.readMessage('someone-else', box.snapshot.id, second.uid), { code: 'NONEXISTENT' });
    await assert.rejects(backend.loadMessages('someone-else', box.snapshot.id, [second.uid], { raw: true, structure: false }), { code: 'NONEXISTENT' });
  });

  test('M2 imapflow against the stored mailboxes: Chinese folders, fetch, search, move and IDLE', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port: server.tlsPort!, secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'carol', pass: 'pw' }, logger: false, disableAutoIdle: true });
    await client.connect();
    try {
      await client.mailboxCreate('课程/数学');
      await client.append('课程/数学', raw('作业'), ['\\Flagged'], new Date('2026-09-01T00:00:00Z'));
      await client.mailboxOpen('课程/数学');
      const msg = await client.fetchOne('1', { envelope: true, bodyStructure: true, bodyParts: ['1'], flags: true });
      assert.ok(msg);
      assert.equal(msg.envelope!.subject, '作业');
      assert.equal(msg.bodyParts!.get('1')!.toString(), 'part one');
      assert.ok(msg.flags!.has('\\Flagged'));
      assert.deepEqual(await client.search({ flagged: true }, { uid: true }), [1]);
      const moved = await client.messageMove('1', '已删除');
      assert.ok(moved && moved.uidMap!.size === 1);
      await client.mailboxOpen('INBOX');
      const idle = client.idle();
      const exists = once(client, 'exists');
      await backend.append(accountId, 'INBOX', [{ raw: raw('delivered'), flags: [], internalDate: new Date() }]);
      await exists;
      await client.noop();
      await idle;
    } finally {
      await client.logout();
    }
  });
});
