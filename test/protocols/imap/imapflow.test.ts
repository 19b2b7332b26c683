import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';

let servers: TestServers;
before(async () => (servers = await startTestServers()));
after(() => servers.close());

async function client(user = 'alice', starttls = false): Promise<ImapFlow> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: starttls ? servers.imap.port! : servers.imap.tlsPort!,
    secure: !starttls,
    tls: { rejectUnauthorized: false },
    auth: { user, pass: `${user}-pw` },
    logger: false,
    disableAutoIdle: true,
  });
  await c.connect();
  return c;
}

const message = (subject: string, body: string) =>
  Buffer.from(`From: 李四 <lisi@example.edu>\r\nTo: bob@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.edu>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${body}\r\n`);

test('M2 imapflow over STARTTLS: Chinese folders, APPEND with flags and date, UID SEARCH, partial fetches', async () => {
  const c = await client('bob', true);
  try {
    await c.mailboxCreate('项目/二〇二六');
    const names = (await c.list()).map((m) => m.path);
    assert.ok(names.includes('项目/二〇二六'), names.join(','));
    const date = new Date('2026-03-04T05:06:07Z');
    const appended = await c.append('项目/二〇二六', message('计划', '第一行\r\n第二行'), ['\\Seen', '$Work'], date);
    assert.ok(appended && appended.uid === 1);
    await c.append('项目/二〇二六', message('other', 'plain text'));
    const box = await c.mailboxOpen('项目/二〇二六');
    assert.equal(box.exists, 2);
    const first = await c.fetchOne('1', { uid: true, flags: true, internalDate: true, envelope: true, bodyStructure: true, size: true, bodyParts: ['1', 'HEADER'] });
    assert.ok(first);
    assert.deepEqual([...first.flags!].filter((f) => f !== '\\Recent').sort(), ['$Work', '\\Seen'], 'the stored flags, besides the session flag \\Recent');
    assert.equal((first.internalDate as Date).toISOString(), date.toISOString());
    assert.equal(first.envelope!.subject, '计划');
    assert.equal(first.envelope!.from![0].name, '李四');
    assert.equal(first.bodyStructure!.type, 'text/plain');
    assert.equal(first.bodyParts!.get('1')!.toString(), '第一行\r\n第二行\r\n');
    const partial = await c.fetchOne('2', { source: { start: 6, maxLength: 6 } });
    assert.ok(partial);
    assert.equal(partial.source!.toString(), Buffer.from('From: 李四').subarray(6, 12).toString());
    assert.deepEqual(await c.search({ subject: '计划' }, { uid: true }), [1]);
    assert.deepEqual(await c.search({ seen: false }, { uid: true }), [2]);
    assert.deepEqual(await c.search({ body: '第二行' }), [1]);
    assert.deepEqual(await c.search({ uid: '2:*', keyword: '$Work' }), []);
    const copied = await c.messageCopy('1:2', 'INBOX');
    assert.ok(copied && copied.uidMap!.size === 2);
    const moved = await c.messageMove('2', 'Trash', { uid: true });
    assert.ok(moved && moved.uidMap!.get(2) === 1);
    assert.equal(c.mailbox && c.mailbox.exists, 1);
    assert.ok(await c.messageDelete('1'));
    assert.equal(c.mailbox && c.mailbox.exists, 0);
  } finally {
    await c.logout();
  }
});

test('M2 IDLE is woken within 1 s by a delivery and by another session\'s flag change and expunge', async () => {
  const watcher = await client();
  const other = await client();
  try {
    await watcher.mailboxOpen('INBOX');
    await other.mailboxOpen('INBOX');
    const idle = watcher.idle();
    let started = Date.now();
    const existsEvent = once(watcher, 'exists');
    servers.store.deliver('alice', message('delivered', 'hello'));
    const [exists] = await existsEvent;
    assert.ok(Date.now() - started < 1000);
    assert.equal(exists.count, 1);
    started = Date.now();
    const flagsEvent = once(watcher, 'flags');
    await other.noop();
    await other.messageFlagsAdd('1', ['\\Flagged']);
    const [flags] = await flagsEvent;
    assert.ok(Date.now() - started < 1000);
    assert.ok(flags.flags.has('\\Flagged'));
    const expungeEvent = once(watcher, 'expunge');
    await other.messageDelete('1');
    const [expunged] = await expungeEvent;
    assert.equal(expunged.seq, 1);
    await watcher.noop();
    await idle;
  } finally {
    await Promise.all([watcher.logout(), other.logout()]);
  }
});

test('M2 sessions see each other\'s changes only at command boundaries, EXPUNGE never during FETCH', async () => {
  const a = await client();
  const b = await client();
  try {
    await a.mailboxCreate('Shared');
    for (const n of [1, 2, 3]) await a.append('Shared', message(`m${n}`, 'x'));
    await a.mailboxOpen('Shared');
    await b.mailboxOpen('Shared');
    await b.messageDelete('1');
    const expunges: number[] = [];
    a.on('expunge', (e) => expunges.push(e.seq ?? 0));
    const fetched = await a.fetchAll('1:*', { uid: true });
    assert.deepEqual([...new Set(fetched.map((m) => m.uid))], [1, 2, 3], 'the FETCH still sees the expunged message');
    assert.deepEqual(expunges, []);
    await a.noop();
    assert.deepEqual(expunges, [1]);
    assert.equal(a.mailbox && a.mailbox.exists, 2);
  } finally {
    await Promise.all([a.logout(), b.logout()]);
  }
});
