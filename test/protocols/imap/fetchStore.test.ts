import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
const message = 'From: a@example.edu\r\nSubject: hello\r\n\r\nline 1\r\nline 2\r\n';
before(async () => {
  servers = await startTestServers();
  for (let i = 0; i < 4; i++) servers.store.deliver('alice', message);
});
after(() => servers.close());

async function session(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  await c.command('L', 'LOGIN alice alice-pw');
  await c.command('S', 'SELECT INBOX');
  return c;
}

test('M2 FETCH RFC822 items, BODY, partials past the end and non-existent parts', async () => {
  const c = await session();
  const header = 'From: a@example.edu\r\nSubject: hello\r\n\r\n';
  assert.match(await c.command('F1', 'FETCH 1 RFC822.HEADER'), new RegExp(`RFC822.HEADER \\{${header.length}\\}\\r\\n${header}\\)`));
  const f2 = await c.command('F2', 'FETCH 1 (RFC822.SIZE RFC822.TEXT)');
  assert.match(f2, new RegExp(`RFC822.SIZE ${message.length} RFC822.TEXT \\{16\\}\\r\\nline 1\\r\\nline 2\\r\\n`));
  assert.match(f2, /FLAGS \(\\Seen( \\Recent)?\)/, 'RFC822.TEXT sets \\Seen');
  assert.match(await c.command('F3', 'FETCH 2 BODY'), /BODY \("text" "plain" \("charset" "us-ascii"\) NIL NIL "7BIT" 16 2\)/);
  assert.match(await c.command('F4', 'FETCH 2 BODY.PEEK[TEXT]<100.10>'), /BODY\[TEXT\]<100> \{0\}\r\n\)/);
  assert.match(await c.command('F5', 'FETCH 2 BODY.PEEK[3]'), /BODY\[3\] \{0\}/);
  assert.doesNotMatch(await c.command('F6', 'FETCH 2 FLAGS'), /\\Seen/, 'PEEK leaves \\Seen alone');
  assert.match(await c.command('F7', 'FETCH 2 BODY[HEADER.FIELDS.NOT (From)]'), /BODY\[HEADER.FIELDS.NOT \(From\)\] \{18\}\r\nSubject: hello\r\n\r\n/);
  assert.match(await c.command('F8', 'FETCH 1 (BODY[MIME])'), /^F8 BAD/m);
  assert.match(await c.command('F9', 'FETCH 1 (FROB)'), /^F9 BAD/m);
  assert.match(await c.command('F10', 'UID FETCH 1:* FAST'), /^\* 4 FETCH \(UID 4 FLAGS \((\\Recent)?\) INTERNALDATE "[^"]+" RFC822.SIZE \d+\)/m);
  c.close();
});

test('M2 STORE .SILENT answers nothing, STORE answers FETCH FLAGS, UID EXPUNGE removes only named messages', async () => {
  const c = await session();
  assert.doesNotMatch(await c.command('T1', 'STORE 3 +FLAGS.SILENT (\\Deleted)'), /FETCH/);
  assert.match(await c.command('T2', 'UID STORE 4 +FLAGS (\\Deleted $Done)'), /^\* 4 FETCH \(UID 4 FLAGS \(\\Deleted \$Done( \\Recent)?\)\)/m);
  assert.match(await c.command('T3', 'STORE 4 -FLAGS ($Done)'), /FLAGS \(\\Deleted\)/);
  const expunged = await c.command('X1', 'UID EXPUNGE 4');
  assert.match(expunged, /^\* 4 EXPUNGE/m);
  assert.doesNotMatch(expunged, /^\* 3 EXPUNGE/m);
  assert.match(await c.command('X2', 'STORE 1 FLAGS (\\Recent)'), /^X2 BAD/m);
  assert.match(await c.command('X3', 'CLOSE'), /^X3 OK/m);
  assert.match(await c.command('X4', 'STATUS INBOX (MESSAGES)'), /MESSAGES 2/, 'CLOSE expunged message 3');
  c.close();
});

test('M2 another session\'s EXPUNGE waits through SEARCH and STORE, and comes with NOOP', async () => {
  servers.store.deliver('alice', message);
  servers.store.deliver('alice', message);
  const a = await session();
  const b = await session();
  await b.command('D', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
  await b.command('E', 'EXPUNGE');
  const search = await a.command('A1', 'SEARCH ALL');
  assert.doesNotMatch(search, /EXPUNGE/);
  assert.match(search, /^\* SEARCH 1 2 3 4/m);
  assert.doesNotMatch(await a.command('A2', 'STORE 2 +FLAGS.SILENT (\\Flagged)'), /EXPUNGE/);
  assert.match(await a.command('A3', 'UID SEARCH ALL'), /^\* 1 EXPUNGE/m, 'UID commands may carry it');
  servers.store.deliver('alice', message);
  await new Promise((r) => setTimeout(r, 20));
  assert.match(await a.command('A4', 'FETCH 1 FLAGS'), /^\* 4 EXISTS/m, 'EXISTS may come during FETCH');
  a.close();
  b.close();
});
