// The extensions imaptest and clients use: ESEARCH, SORT/ESORT, THREAD, MULTIAPPEND.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
const mail = (id: string, subject: string, date: string, extra = '') => `Message-ID: <${id}>\r\nFrom: ${id}@example.org\r\nSubject: ${subject}\r\nDate: ${date}\r\n${extra}\r\nbody\r\n`;
before(async () => {
  servers = await startTestServers();
  servers.store.deliver('bob', mail('a', 'Plan', 'Mon, 2 Nov 2026 10:00:00 +0000'));
  servers.store.deliver('bob', mail('c', 'Re: Plan', 'Mon, 2 Nov 2026 12:00:00 +0000', 'References: <a>\r\n'));
  servers.store.deliver('bob', mail('b', 'Budget', 'Mon, 2 Nov 2026 11:00:00 +0000'));
});
after(() => servers.close());

async function bob(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('L', 'LOGIN bob bob-pw'), /ESEARCH.*SORT.*THREAD=REFERENCES/);
  await c.command('S', 'SELECT INBOX');
  return c;
}

test('M2 ESEARCH: MIN, MAX, COUNT and ALL in one reply tagged with the command', async () => {
  const c = await bob();
  assert.match(await c.command('E1', 'SEARCH RETURN (MIN MAX COUNT ALL) ALL'), /^\* ESEARCH \(TAG "E1"\) MIN 1 MAX 3 ALL 1:3 COUNT 3\r\n/m);
  assert.match(await c.command('E2', 'UID SEARCH RETURN () 99'), /^\* ESEARCH \(TAG "E2"\) UID\r\n/m);
  c.close();
});

test('M2 SORT by subject (Re: ignored) and reverse date; ESORT; THREAD REFERENCES and ORDEREDSUBJECT', async () => {
  const c = await bob();
  assert.match(await c.command('S1', 'SORT (SUBJECT) UTF-8 ALL'), /^\* SORT 3 1 2\r\n/m);
  assert.match(await c.command('S2', 'SORT (REVERSE DATE) UTF-8 ALL'), /^\* SORT 2 3 1\r\n/m);
  assert.match(await c.command('S3', 'SORT RETURN (MIN) (DATE) UTF-8 ALL'), /^\* ESEARCH \(TAG "S3"\) MIN 1\r\n/m);
  assert.match(await c.command('T1', 'THREAD REFERENCES UTF-8 ALL'), /^\* THREAD \(1 2\)\(3\)\r\n/m);
  assert.match(await c.command('T2', 'THREAD ORDEREDSUBJECT UTF-8 ALL'), /^\* THREAD \(1 2\)\(3\)\r\n/m);
  c.close();
});

test('M2 MULTIAPPEND stores every message of one APPEND, with one APPENDUID range', async () => {
  const c = await bob();
  const reply = await c.command('A', 'APPEND Drafts (\\Draft) {14+}\r\nSubject: 1\r\n\r\n {14+}\r\nSubject: 2\r\n\r\n');
  assert.match(reply, /^A OK \[APPENDUID \d+ 1:2\]/m);
  assert.match(await c.command('ST', 'STATUS Drafts (MESSAGES)'), /MESSAGES 2/);
  c.close();
});
