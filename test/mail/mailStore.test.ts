import { testAccounts } from '../helpers/accounts.ts';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import iconv from 'iconv-lite';
import { FakeClock } from '../helpers/clock.ts';
import { MailStore, mailboxTopic, type MailEvent } from '../../src/mail/mailStore.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { databaseBlobStore, fileBlobStore, mixedBlobStore } from '../../src/store/blobs.ts';
import { Emails } from '../../src/mail/emails.ts';
import { SearchIndexer } from '../../src/mail/searchIndexer.ts';
import { emailRepo } from '../../src/store/emailRepo.ts';
import { searchBacklogRepo } from '../../src/store/searchIndex.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import { forEachDatabase } from '../helpers/db.ts';
import { rejects } from '../helpers/assertions.ts';

const blobRoot = mkdtempSync(join(tmpdir(), 'postern-blobs-'));
after(() => rmSync(blobRoot, { recursive: true, force: true }));

const message = (subject: string, body = 'hello') =>
  Buffer.from(`From: 张三 <zhang@example.edu>\r\nTo: li@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random()}@x>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0800\r\n\r\n${body}\r\n`);

forEachDatabase('mail store', (getStore) => {
  let n = 0;
  async function setup(blobs: 'files' | 'database' | 'mixed' = 'files', quotaBytes?: number) {
    const store = getStore();
    const clock = new FakeClock();
    const accounts = testAccounts(store.db, clock);
    if (!(await accounts.repo.domainExists('example.edu'))) await accounts.addDomain('example.edu');
    const account = await accounts.create({ address: `user${n++}@example.edu`, password: 'a long enough pass', quotaBytes });
    const bus = memoryBus();
    const mail = new MailStore({
      repo: mailRepo(store),
      blobs: { files: () => fileBlobStore(join(blobRoot, `${store.dialect}-${n}`)), database: () => databaseBlobStore(store), mixed: () => mixedBlobStore(databaseBlobStore(store), fileBlobStore(join(blobRoot, `${store.dialect}-${n}`)), 1000) }[blobs](),
      bus,
      accounts: accounts.repo,
      clock,
      maxMessageBytes: 100_000,
    });
    return { mail, account, bus };
  }

  test('a new account has INBOX, 已发送, 草稿, 已删除 and 垃圾邮件 with their SPECIAL-USE roles', async () => {
    const { mail, account } = await setup();
    const boxes = await mail.mailboxes(account.id);
    assert.deepEqual(
      boxes.map((b) => [b.name, b.specialUse]).sort(),
      [['INBOX', null], ['垃圾邮件', '\\Junk'], ['已删除', '\\Trash'], ['已发送', '\\Sent'], ['草稿', '\\Drafts']].sort(),
    );
    assert.equal(new Set(boxes.map((b) => b.uidValidity)).size, boxes.length, 'UIDVALIDITY differs per mailbox');
    assert.equal((await mail.mailbox(account.id, 'inbox')).name, 'INBOX');
  });

  test('user folders: Unicode names nested with /, rename moves children, delete refuses system and parent folders', async () => {
    const { mail, account } = await setup();
    await mail.createMailbox(account.id, '项目/2026/报告');
    assert.ok(await mail.mailbox(account.id, '项目/2026'));
    await rejects(mail.createMailbox(account.id, '项目'), 'mailbox_exists');
    await rejects(mail.createMailbox(account.id, 'a//b'), 'invalid_mailbox_name');
    await mail.renameMailbox(account.id, '项目', 'Projects');
    const names = (await mail.mailboxes(account.id)).map((b) => b.name);
    assert.ok(names.includes('Projects/2026/报告') && !names.includes('项目'));
    await rejects(mail.deleteMailbox(account.id, 'Projects'), 'mailbox_has_children');
    await rejects(mail.deleteMailbox(account.id, '已发送'), 'mailbox_protected');
    await mail.deleteMailbox(account.id, 'Projects/2026/报告');
    await mail.subscribe(account.id, 'Projects', false);
    assert.equal((await mail.mailbox(account.id, 'Projects')).subscribed, false);
  });

  test('M2 a mailbox deleted and created again within the same second gets a new UIDVALIDITY', async () => {
    const { mail, account } = await setup();
    const first = await mail.createMailbox(account.id, 'Again');
    await mail.deleteMailbox(account.id, 'Again');
    const second = await mail.createMailbox(account.id, 'Again', false);
    assert.ok(second.uidValidity > first.uidValidity);
    // The subscription outlived the deleted mailbox (RFC 3501 §6.3.6) and holds for the new one.
    assert.equal(second.subscribed, true);
    assert.deepEqual(await mail.orphanSubscriptions(account.id), []);
  });

  test('M2 \\Recent: the first claim takes the new messages, a later one finds none', async () => {
    const { mail, account } = await setup();
    const inbox = await mail.mailbox(account.id, 'INBOX');
    await mail.deliver(account.id, message('one'));
    await mail.deliver(account.id, message('two'));
    const box = await mail.mailbox(account.id, 'INBOX');
    assert.equal(await mail.claimRecent(inbox.id, box.uidNext), inbox.recentUid);
    assert.equal(await mail.claimRecent(inbox.id, box.uidNext), box.uidNext);
  });

  test('delivery: strictly ascending UIDs under concurrent deliveries, headers decoded, bytes intact, IDLE event', async () => {
    const { mail, account, bus } = await setup();
    const inbox = await mail.mailbox(account.id, 'INBOX');
    const events: MailEvent[] = [];
    const unsubscribe = bus.subscribe(mailboxTopic(inbox.id), (e) => events.push(e as MailEvent));
    const raws = Array.from({ length: 12 }, (_, i) => message(`=?UTF-8?B?${Buffer.from(`测试 ${i}`).toString('base64')}?=`, `body ${i}`));
    const results = await Promise.all(raws.map((raw) => mail.deliver(account.id, raw)));
    unsubscribe();
    assert.deepEqual(results.map((r) => r.uid).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
    const stored = await mail.messages(inbox.id);
    assert.equal(stored.length, 12);
    assert.match(stored[0].subject, /^测试 \d+$/);
    assert.match(stored[0].from, /张三"? <zhang@example.edu>/);
    for (const m of stored) assert.ok((await mail.read(m)).equals(raws[Number(m.preview.split(' ')[1])]));
    assert.equal(events.length, 12);
    assert.equal((await mail.mailbox(account.id, 'INBOX')).uidNext, 13);
  });

  test('M2 M5 1 500 messages stored in one transaction: a reply joins its original\'s thread, the same bytes twice are one Email, each found by its words', async () => {
    // Files: the database blob store's table is shared with the sweep tests below.
    const { mail, account } = await setup();
    const inbox = await mail.mailbox(account.id, 'INBOX');
    const head = (id: string, subject: string, extra = '') => `From: a@example.edu\r\nTo: li@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n${extra}\r\n`;
    const original = Buffer.from(head('plan@x', 'plan') + 'first\r\n');
    const raws = [original, Buffer.from(head('re@x', 'Re: plan', 'In-Reply-To: <plan@x>\r\n') + 'answer\r\n'), original];
    for (let i = 0; i < 1497; i++) raws.push(Buffer.from(head(`f${i}@x`, `filler ${i}`) + `word${i}\r\n`));
    const { uids } = await mail.appendAll(inbox, raws.map((raw) => ({ raw })));
    assert.deepEqual(uids, Array.from({ length: 1500 }, (_, i) => i + 1));
    const box = await mail.mailbox(account.id, 'INBOX');
    assert.equal(box.uidNext, 1501);
    assert.equal(box.highestModseq, inbox.highestModseq + 1);
    const rows = await mail.messages(inbox.id);
    assert.equal(rows[1].threadId, rows[0].threadId);
    assert.equal(rows[2].threadId, rows[0].threadId);
    assert.equal(new Set(rows.slice(3).map((r) => r.threadId)).size, 1497);
    const emails = new Emails(emailRepo(getStore()), mail, new SearchIndexer(searchBacklogRepo(getStore()), mail.blobs));
    const found = async (text: string) => (await emails.query(account.id, { filter: { text }, sort: [], collapseThreads: false }, 0, 10)).map((h) => h.blobId);
    assert.deepEqual(await found('word1234'), [rows[1237].blobId]);
    assert.deepEqual(await found('first'), [rows[0].blobId]);
    assert.equal(await emails.count(account.id, { filter: { inMailbox: inbox.id }, sort: [], collapseThreads: false }), 1499);
    // A page deep in the list is the same whether the database skips to it (all rows different Emails) or not (the same bytes twice).
    for (const filter of [{ text: 'filler' }, { inMailbox: inbox.id }]) {
      const q = { filter, sort: [{ property: 'receivedAt' as const, isAscending: false }], collapseThreads: false };
      assert.deepEqual(await emails.query(account.id, q, 1200, 5), (await emails.query(account.id, q, 0, 1205)).slice(1200));
    }
  });

  test('GBK and Big5 bodies and RFC 2231 file names are decoded at delivery', async () => {
    const { mail, account } = await setup();
    const gbk = iconv.encode('中文主题', 'gbk').toString('base64');
    const raw = Buffer.concat([
      Buffer.from(`Subject: =?GBK?B?${gbk}?=\r\nFrom: a@example.edu\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=big5\r\n\r\n`),
      iconv.encode('繁體中文內容', 'big5'),
      Buffer.from(`\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf\r\n\r\nAAAA\r\n--b--\r\n`),
    ]);
    await mail.deliver(account.id, raw);
    const [m] = await mail.messages((await mail.mailbox(account.id, 'INBOX')).id);
    assert.equal(m.subject, '中文主题');
    assert.equal(m.preview, '繁體中文內容');
    assert.equal(m.hasAttachments, true);
  });

  test('NUL bytes and raw 8-bit bytes in headers are stored; the cached fields hold no NUL', async () => {
    const { mail, account } = await setup();
    const raw = Buffer.concat([Buffer.from('Subject: a\0b '), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('\r\nFrom: x\0@y\r\n\r\nbody\0')]);
    await mail.deliver(account.id, raw);
    const [m] = await mail.messages((await mail.mailbox(account.id, 'INBOX')).id);
    assert.ok(!m.subject.includes('\0') && !m.from.includes('\0') && !m.preview.includes('\0'));
    assert.ok((await mail.read(m)).equals(raw));
  });

  test('flags with keywords and MODSEQ; UNCHANGEDSINCE refuses changed messages; expunge bumps MODSEQ', async () => {
    const { mail, account } = await setup('database');
    const inbox = await mail.mailbox(account.id, 'INBOX');
    for (let i = 0; i < 3; i++) await mail.deliver(account.id, message(`m${i}`));
    const before = (await mail.mailbox(account.id, 'INBOX')).highestModseq;
    const r = await mail.setFlags(inbox.id, [[1, 2]], 'add', ['\\Seen', '$Work']);
    assert.deepEqual(r.changed.map((c) => [c.uid, c.flags]), [[1, ['\\Seen', '$Work']], [2, ['\\Seen', '$Work']]]);
    assert.ok(r.changed[0].modseq > before);
    const again = await mail.setFlags(inbox.id, [[1, 1]], 'add', ['\\seen']);
    assert.equal(again.changed.length, 0, 'flags are case-insensitive');
    const conditional = await mail.setFlags(inbox.id, [[1, Infinity]], 'add', ['\\Flagged'], before);
    assert.deepEqual(conditional.failed, [1, 2]);
    assert.deepEqual(conditional.changed.map((c) => c.uid), [3]);
    assert.deepEqual((await mail.messages(inbox.id, { changedSince: before })).map((m) => m.uid), [1, 2, 3]);
    await mail.setFlags(inbox.id, [[2, 2]], 'add', ['\\Deleted']);
    const modseq = (await mail.mailbox(account.id, 'INBOX')).highestModseq;
    assert.deepEqual(await mail.expunge(inbox.id), [2]);
    assert.ok((await mail.mailbox(account.id, 'INBOX')).highestModseq > modseq);
    assert.deepEqual(await mail.uids(inbox.id), [1, 3]);
    const counts = await mail.counts(inbox.id);
    assert.deepEqual([counts.messages, counts.unseen], [2, 1]);
  });

  test('M2 M5 keywords heaped on one message are refused with a clear error, on delivery and on STORE, before the database would fail', async () => {
    const { mail, account } = await setup('database');
    const inbox = await mail.mailbox(account.id, 'INBOX');
    await mail.deliver(account.id, message('many keywords'));
    const keywords = (from: number) => Array.from({ length: 60 }, (_, i) => `$keyword-number-${from + i}-with-a-long-name`);
    await mail.setFlags(inbox.id, [[1, 1]], 'add', keywords(0).slice(0, 20));
    await rejects(mail.setFlags(inbox.id, [[1, 1]], 'add', keywords(20)), 'too_many_keywords');
    await rejects(mail.append(inbox, Buffer.from(message('too many')), { flags: keywords(0) }), 'too_many_keywords');
    assert.equal((await mail.messages(inbox.id)).length, 1, 'nothing half-written');
    assert.equal((await mail.messages(inbox.id))[0].flags.length, 20);
  });

  test('copy and move keep bytes and flags, give new UIDs, and share the stored bytes', async () => {
    const { mail, account } = await setup();
    const inbox = await mail.mailbox(account.id, 'INBOX');
    const archive = await mail.createMailbox(account.id, '归档');
    const raw = message('copy me');
    await mail.deliver(account.id, raw, 'INBOX', ['\\Seen']);
    await mail.deliver(account.id, message('move me'));
    assert.deepEqual((await mail.copy(inbox, [[1, 1]], archive)).pairs, [[1, 1]]);
    assert.deepEqual((await mail.move(inbox, [[2, 2]], archive)).pairs, [[2, 2]]);
    const copied = await mail.messages(archive.id);
    assert.deepEqual(copied.map((m) => m.flags), [['\\Seen'], []]);
    assert.ok((await mail.read(copied[0])).equals(raw));
    assert.deepEqual(await mail.uids(inbox.id), [1]);
    assert.equal(copied[0].blobId, (await mail.messages(inbox.id))[0].blobId);
  });

  test('quota is enforced at delivery; oversize mail is refused; nothing partial is stored', async () => {
    const { mail, account } = await setup('files', 300);
    await mail.deliver(account.id, message('fits'));
    await rejects(mail.deliver(account.id, message('too much', 'x'.repeat(200))), 'quota_exceeded');
    const big = await setup();
    await rejects(big.mail.deliver(big.account.id, message('huge', 'x'.repeat(200_000))), 'message_too_large');
    assert.equal((await big.mail.messages((await big.mail.mailbox(big.account.id, 'INBOX')).id)).length, 0);
  });

  test('unreferenced bytes are swept after the grace period, referenced ones stay', async () => {
    const { mail, account } = await setup('database');
    const inbox = await mail.mailbox(account.id, 'INBOX');
    await mail.deliver(account.id, message('keep'));
    await mail.deliver(account.id, message('drop'));
    await mail.setFlags(inbox.id, [[2, 2]], 'add', ['\\Deleted']);
    await mail.expunge(inbox.id);
    assert.equal(await mail.sweepBlobs(60_000), 0, 'within the grace period');
    assert.ok((await mail.sweepBlobs(-1000)) >= 1);
    const [kept] = await mail.messages(inbox.id);
    assert.match((await mail.read(kept)).toString(), /Subject: keep/);
  });

  test('M1 small messages are kept in the database and large ones as files; both are read, copied and swept', async () => {
    const { mail, account } = await setup('mixed');
    const store = getStore();
    const inbox = await mail.mailbox(account.id, 'INBOX');
    await mail.deliver(account.id, message('small'));
    await mail.deliver(account.id, message('large', 'x'.repeat(5000)));
    const [small, large] = await mail.messages(inbox.id);
    const inTable = async (id: string) => !!(await store.db.selectFrom('blobs').select('id').where('id', '=', id).executeTakeFirst());
    assert.equal(await inTable(small.blobId), true);
    assert.equal(await inTable(large.blobId), false);
    assert.deepEqual(readdirSync(join(blobRoot, `${store.dialect}-${n}`, large.blobId.slice(0, 2))), [large.blobId]);
    assert.match((await mail.blobs.get(small.blobId))!.toString(), /Subject: small/);
    assert.match((await mail.blobs.get(large.blobId))!.toString(), /Subject: large/);
    await mail.discard(inbox.id, [[1, 2]]);
    assert.ok((await mail.sweepBlobs(-1000)) >= 2);
    assert.equal(await mail.blobs.get(small.blobId), undefined);
    assert.equal(await mail.blobs.get(large.blobId), undefined);
  });

  for (const kind of ['files', 'database'] as const) {
    test(`O1 the blob sweep (${kind}) asks about references a batch at a time, not once per blob`, async () => {
      const { mail, account } = await setup(kind);
      const inbox = await mail.mailbox(account.id, 'INBOX');
      for (let i = 0; i < 3; i++) await mail.deliver(account.id, message(`keep ${i}`));
      const { blobs } = mail;
      for (let i = 0; i < 510; i++) await blobs.put(Buffer.from(`orphan ${i}`));
      let questions = 0;
      const referenced = (ids: string[]) => {
        questions++;
        return mail.repo.blobsReferenced(ids);
      };
      assert.equal(await blobs.sweep(new Date(Date.now() + 1000), referenced), 510);
      assert.ok(questions <= 2, `${questions} reference queries for 513 blobs`);
      for (const m of await mail.messages(inbox.id)) assert.match((await mail.read(m)).toString(), /Subject: keep/);
    });
  }
});

test('file blob store: one file per content under ab/<sha256>, no temp files left', async () => {
  const root = join(blobRoot, 'layout');
  const blobs = fileBlobStore(root);
  const id = await blobs.put(Buffer.from('same bytes'));
  assert.equal(await blobs.put(Buffer.from('same bytes')), id);
  assert.deepEqual(readdirSync(join(root, id.slice(0, 2))), [id]);
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  assert.equal(await blobs.get('../../etc/passwd'), undefined);
});

test('file blob store: blobs kept under ab/cd/<sha256> by earlier versions are read, and swept when unused', async () => {
  const root = join(blobRoot, 'former');
  const blobs = fileBlobStore(root);
  const former = async (text: string) => {
    const id = createHash('sha256').update(text).digest('hex');
    mkdirSync(join(root, id.slice(0, 2), id.slice(2, 4)), { recursive: true });
    writeFileSync(join(root, id.slice(0, 2), id.slice(2, 4), id), text);
    return id;
  };
  const kept = await former('kept bytes');
  const unused = await former('unused bytes');
  const current = await blobs.put(Buffer.from('current bytes'));
  assert.equal((await blobs.get(kept))?.toString(), 'kept bytes');
  assert.equal(await blobs.sweep(new Date(Date.now() + 1000), async () => new Set([kept, current])), 1);
  assert.equal(await blobs.get(unused), undefined);
  assert.equal((await blobs.get(kept))?.toString(), 'kept bytes');
  assert.equal((await blobs.get(current))?.toString(), 'current bytes');
});
