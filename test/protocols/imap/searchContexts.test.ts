// CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267): PARTIAL windows and results kept up to date.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
const mail = (n: number, size: number) => `From: m${n}@example.org\r\nSubject: note ${n}\r\n\r\n${'x'.repeat(size)}\r\n`;
before(async () => {
  servers = await startTestServers();
  for (const [n, size] of [[1, 30], [2, 10], [3, 20], [4, 40], [5, 5]]) servers.store.deliver('alice', mail(n, size));
});
after(() => servers.close());

async function alice(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('L', 'LOGIN alice alice-pw'), /OK/);
  assert.match(await c.command('C', 'CAPABILITY'), /CONTEXT=SEARCH CONTEXT=SORT/);
  await c.command('S', 'SELECT INBOX');
  return c;
}

test('M2 CONTEXT: SEARCH and SORT RETURN (PARTIAL) give a window of the result, in result order', async () => {
  const c = await alice();
  assert.match(await c.command('P1', 'SEARCH RETURN (PARTIAL 2:3) ALL'), /^\* ESEARCH \(TAG "P1"\) PARTIAL \(2:3 2:3\)\r\n/m);
  assert.match(await c.command('P2', 'SEARCH RETURN (PARTIAL 9:6 COUNT) ALL'), /^\* ESEARCH \(TAG "P2"\) COUNT 5 PARTIAL \(6:9 NIL\)\r\n/m);
  // Sizes 30 10 20 40 5: smallest first is 5 2 3 1 4.
  assert.match(await c.command('P3', 'SORT RETURN (PARTIAL 1:3) (SIZE) UTF-8 ALL'), /^\* ESEARCH \(TAG "P3"\) PARTIAL \(1:3 5,2:3\)\r\n/m);
  assert.match(await c.command('P4', 'SEARCH RETURN (PARTIAL 1:*) ALL'), /^P4 BAD/m);
  c.close();
});

test('M2 CONTEXT: a SEARCH with RETURN (UPDATE) tells ADDTO and REMOVEFROM as flags change, in any session, until CANCELUPDATE', async () => {
  const c = await alice();
  const other = await alice();
  assert.match(await c.command('U', 'UID SEARCH RETURN (UPDATE ALL) FLAGGED'), /^\* ESEARCH \(TAG "U"\) UID\r\n/m);
  const own = await c.command('F1', 'STORE 1:2 +FLAGS (\\Flagged)');
  assert.match(own, /^\* ESEARCH \(TAG "U"\) UID ADDTO \(0 1:2\)\r\n/m);
  await other.command('O1', 'STORE 3 +FLAGS (\\Flagged)');
  await other.command('O2', 'STORE 1 -FLAGS (\\Flagged)');
  const heard = await c.command('N', 'NOOP');
  assert.match(heard, /^\* ESEARCH \(TAG "U"\) UID REMOVEFROM \(0 1\)\r\n\* ESEARCH \(TAG "U"\) UID ADDTO \(0 3\)\r\n/m);
  // An expunged match is removed before its EXPUNGE, while its number still names it.
  await c.command('D', 'STORE 2 +FLAGS (\\Deleted)');
  assert.match(await c.command('E', 'EXPUNGE'), /^\* ESEARCH \(TAG "U"\) UID REMOVEFROM \(0 2\)\r\n\* 2 EXPUNGE\r\n/m);
  assert.match(await c.command('X', 'CANCELUPDATE "U"'), /^X OK/m);
  assert.doesNotMatch(await c.command('F2', 'STORE 1 +FLAGS (\\Flagged)'), /ESEARCH/);
  assert.match(await c.command('X2', 'CANCELUPDATE "U"'), /^X2 BAD/m);
  c.close();
  other.close();
});

test('M2 CONTEXT: a SORT with RETURN (UPDATE) places a new message at its position in the sort order', async () => {
  const c = await alice();
  assert.match(await c.command('U', 'SORT RETURN (UPDATE ALL) (REVERSE SIZE) UTF-8 UNDELETED'), /^\* ESEARCH \(TAG "U"\) ALL 3,1:2,4\r\n/m);
  const added = await c.command('A', `APPEND INBOX {${mail(6, 25).length}+}\r\n${mail(6, 25)}`);
  // Sizes now 30 20 40 5 25 (seq 1-4 after the earlier expunge, new seq 5): largest first 3 1 5 2 4.
  assert.match(added, /^\* 5 EXISTS\r\n/m);
  assert.match(added, /^\* ESEARCH \(TAG "U"\) ADDTO \(3 5\)\r\n/m);
  c.close();
});

test('M2 CONTEXT: past eight searches with updates in one selection, more are answered without updates (NOUPDATE)', async () => {
  const c = await alice();
  for (let i = 1; i <= 8; i++) assert.match(await c.command(`K${i}`, 'SEARCH RETURN (UPDATE) SEEN'), new RegExp(`^K${i} OK SEARCH completed`, 'm'));
  assert.match(await c.command('K9', 'SEARCH RETURN (UPDATE) SEEN'), /^K9 OK \[NOUPDATE "K9"\]/m);
  assert.match(await c.command('P', 'SEARCH RETURN (UPDATE PARTIAL 1:2) ALL'), /^P OK \[NOUPDATE "P"\]/m);
  c.close();
});
