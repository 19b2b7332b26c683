// What one session sees of its own and other sessions' changes (the defects imaptest found).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
before(async () => {
  servers = await startTestServers();
});
after(() => servers.close());


async function login(user: 'alice' | 'bob'): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  await c.command('L', `LOGIN ${user} ${user}-pw`);
  return c;
}

let boxes = 0;
/** A new mailbox with `count` messages, so that no earlier test's session shares it. */
async function fresh(user: 'alice' | 'bob', count: number): Promise<string> {
  const name = `box${++boxes}`;
  await servers.store.createMailbox(user, name);
  for (let i = 0; i < count; i++) servers.store.deliver(user, `Subject: m${i}\r\n\r\nbody\r\n`, name);
  return name;
}

test('M2 an APPEND into the selected mailbox comes back with its EXISTS; UID FETCH and UID STORE of the APPENDUID work', async () => {
  const box = await fresh('alice', 1);
  const c = await login('alice');
  await c.command('S', `SELECT ${box}`);
  const append = await c.command('A', `APPEND ${box} (\\Seen) {15+}\r\nSubject: x\r\n\r\nx`);
  const uid = /APPENDUID \d+ (\d+)/.exec(append)![1];
  assert.match(append, /^\* 2 EXISTS\r\n(.*\r\n)*A OK/m);
  assert.match(await c.command('F', `UID FETCH ${uid} FLAGS`), new RegExp(`^\\* 2 FETCH \\(UID ${uid} FLAGS \\(\\\\Seen \\\\Recent\\)\\)`, 'm'));
  assert.match(await c.command('T', `UID STORE ${uid} +FLAGS (\\Flagged)`), /^\* 2 FETCH \(UID \d+ FLAGS \(\\Seen \\Flagged \\Recent\)\)/m);
  c.close();
});

test('M2 a message added and expunged by another session: EXISTS reaches the client before the EXPUNGE', async () => {
  const box = await fresh('bob', 1);
  const watcher = await login('bob');
  await watcher.command('S', `SELECT ${box}`);
  const other = await login('bob');
  await other.command('S', `SELECT ${box}`);
  await other.command('A', `APPEND ${box} (\\Deleted) {15+}\r\nSubject: x\r\n\r\nx`);
  await other.command('E', 'EXPUNGE');
  const noop = await watcher.command('N', 'NOOP');
  assert.match(noop, /^\* 2 EXISTS\r\n(.*\r\n)*\* 2 EXPUNGE\r\n/m, noop);
  watcher.close();
  other.close();
});

test('M2 \\Recent: new messages are recent in the first read-write session only; EXAMINE and STATUS count them', async () => {
  const box = await fresh('alice', 2);
  const first = await login('alice');
  assert.match(await first.command('X', `EXAMINE ${box}`), /^\* 2 RECENT/m);
  assert.match(await first.command('ST', 'STATUS Sent (RECENT)'), /RECENT 0/);
  assert.match(await first.command('S', `SELECT ${box}`), /^\* 2 RECENT/m);
  assert.match(await first.command('F', 'FETCH 1 FLAGS'), /FLAGS \(\\Recent\)/);
  assert.match(await first.command('Q', 'SEARCH RECENT'), /^\* SEARCH 1 2\r\n/m);
  const second = await login('alice');
  assert.match(await second.command('S', `SELECT ${box}`), /^\* 0 RECENT/m);
  assert.match(await second.command('Q', 'SEARCH NEW'), /^\* SEARCH\r\n/m);
  servers.store.deliver('alice', 'Subject: late\r\n\r\nx\r\n', box);
  await new Promise((r) => setTimeout(r, 20));
  assert.match(await first.command('N', 'NOOP'), /^\* 3 EXISTS\r\n\* 3 RECENT/m);
  assert.doesNotMatch(await second.command('F', 'FETCH 3 FLAGS'), /\\Recent/);
  first.close();
  second.close();
});

test('M2 FETCH of a message another session expunged answers OK [EXPUNGEISSUED], never SERVERBUG', async () => {
  const box = await fresh('bob', 2);
  const reader = await login('bob');
  await reader.command('S', `SELECT ${box}`);
  const other = await login('bob');
  await other.command('S', `SELECT ${box}`);
  await other.command('D', 'STORE 2 +FLAGS (\\Deleted)');
  await other.command('E', 'EXPUNGE');
  const fetch = await reader.command('F', 'FETCH 1:2 (BODY.PEEK[] ENVELOPE)');
  assert.match(fetch, /^\* 1 FETCH/m);
  assert.match(fetch, /^F OK \[EXPUNGEISSUED\]/m);
  assert.match(await reader.command('N', 'NOOP'), /^\* 2 EXPUNGE/m);
  reader.close();
  other.close();
});

test('M2 a new keyword is announced in FLAGS and PERMANENTFLAGS before the FETCH that shows it, in every session', async () => {
  const box = await fresh('alice', 1);
  const c = await login('alice');
  const other = await login('alice');
  await c.command('S', `SELECT ${box}`);
  await other.command('S', `SELECT ${box}`);
  const store = await c.command('T', 'STORE 1 +FLAGS ($Project)');
  assert.match(store, /^\* FLAGS \(.*\$Project\)\r\n\* OK \[PERMANENTFLAGS \(.*\$Project \\\*\)\].*\r\n\* 1 FETCH \(UID \d+ FLAGS \(\$Project \\Recent\)\)/m);
  const noop = await other.command('N', 'NOOP');
  assert.match(noop, /^\* FLAGS \(.*\$Project\)\r\n(.*\r\n)*\* 1 FETCH/m);
  c.close();
  other.close();
});

test('M2 "[" is an atom character; invalid modified UTF-7 names no mailbox; LIST of it is empty', async () => {
  const c = await login('bob');
  assert.match(await c.command('S', "SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}"), /^S NO/m);
  assert.match(await c.command('S2', 'SELECT foo[bar'), /^S2 NO \[NONEXISTENT\]/m);
  assert.match(await c.command('L', "LIST \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*"), /^L OK/m);
  assert.match(await c.command('F', 'CAPABILITY'), /^F OK/m, 'the connection stays usable');
  c.close();
});

test('M2 LSUB "%" lists an unsubscribed parent of a subscribed mailbox as \\Noselect; IMAP CREATE does not subscribe', async () => {
  const c = await login('bob');
  for (const name of ['p', 'p/a', 'p/b', 'p/b/c']) await c.command('C', `CREATE ${name}`);
  await c.command('U', 'SUBSCRIBE p/a');
  await c.command('U', 'SUBSCRIBE p/b/c');
  const lsub = await c.command('L', 'LSUB "" p/%');
  assert.match(lsub, /^\* LSUB \(\) "\/" "p\/a"\r\n/m);
  assert.match(lsub, /^\* LSUB \(\\Noselect\) "\/" "p\/b"\r\n/m);
  assert.doesNotMatch(lsub, /p\/b\/c/);
  assert.doesNotMatch(await c.command('L2', 'LSUB "" p/*'), /"p\/b"/);
  c.close();
});

test('M2 ENVELOPE groups and source routes; SEARCH FROM finds an address written with comments', async () => {
  const box = await fresh('alice', 0);
  servers.store.deliver('alice', 'From: <user (comment)@ (comment) example.org>\r\nTo: <@relay.example:rcpt@example.org>\r\nCc: team:;, group2: (foo) ;\r\nSubject: s\r\n\r\nx\r\n', box);
  servers.store.deliver('alice', 'From: someone@example.org\r\nSubject: s\r\n\r\nx\r\n', box);
  const c = await login('alice');
  await c.command('S', `SELECT ${box}`);
  const envelope = await c.command('F', 'FETCH 1 ENVELOPE');
  assert.match(envelope, /\(\(NIL "@relay.example" "rcpt" "example.org"\)\)/);
  assert.match(envelope, /\(\(NIL NIL "team" NIL\) \(NIL NIL NIL NIL\) \(NIL NIL "group2" NIL\) \(NIL NIL NIL NIL\)\)/);
  assert.match(await c.command('Q', 'SEARCH FROM user@example.org'), /^\* SEARCH 1\r\n/m);
  c.close();
});
