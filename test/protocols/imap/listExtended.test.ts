// LIST-EXTENDED (RFC 5258) with LIST-STATUS (RFC 5819) and SPECIAL-USE selection (RFC 6154), over
// the real mail store: subscriptions outlive their mailbox.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDatabase } from '../../helpers/db.ts';
import { RawClient } from '../../helpers/rawClient.ts';
import { startStoreImapServer, type StoreImapServer } from '../../helpers/storeImapServer.ts';

forEachDatabase('LIST-EXTENDED', (getStore) => {
  let imap: StoreImapServer;
  before(async () => {
    imap = await startStoreImapServer(getStore(), 'dora');
  });
  after(() => imap.close());

  async function dora(): Promise<RawClient> {
    const c = await RawClient.connect(imap.server.tlsPort!, true);
    await c.until(/^\* OK/m);
    assert.match(await c.command('L', 'LOGIN dora pw'), /^L OK \[CAPABILITY .*LIST-EXTENDED LIST-STATUS/m);
    return c;
  }

  test('M2 LIST (SUBSCRIBED) shows a deleted mailbox that is still subscribed as \\NonExistent, until UNSUBSCRIBE', async () => {
    const c = await dora();
    for (const name of ['Work/Old', 'Work/Now', 'Work/Deep/Inside']) assert.match(await c.command('C', `CREATE ${name}`), /^C OK/m);
    for (const name of ['Work/Old', 'Work/Deep/Inside']) await c.command('S', `SUBSCRIBE ${name}`);
    await c.command('D', 'DELETE Work/Old');
    const listed = await c.command('L1', 'LIST (SUBSCRIBED) "" Work/*');
    assert.match(listed, /^\* LIST \(\\NonExistent \\Subscribed\) "\/" "Work\/Old"\r\n/m);
    assert.match(listed, /^\* LIST \(\\Subscribed\) "\/" "Work\/Deep\/Inside"\r\n/m);
    assert.doesNotMatch(listed, /Work\/Now/);
    assert.match(await c.command('L2', 'LSUB "" Work/*'), /^\* LSUB \(\) "\/" "Work\/Old"\r\n/m);
    // RECURSIVEMATCH: a parent whose subscribed child the pattern does not match carries CHILDINFO.
    assert.match(await c.command('L3', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" Work/% RETURN (CHILDREN)'), /^\* LIST \(\\HasChildren\) "\/" "Work\/Deep" \(CHILDINFO \("SUBSCRIBED"\)\)\r\n/m);
    assert.match(await c.command('U', 'UNSUBSCRIBE Work/Old'), /^U OK/m);
    assert.doesNotMatch(await c.command('L4', 'LIST (SUBSCRIBED) "" Work/*'), /Work\/Old/);
    assert.match(await c.command('U2', 'UNSUBSCRIBE Work/Old'), /^U2 NO/m);
    c.close();
  });

  test('M2 keywords heaped on one message get NO [LIMIT] from STORE and APPEND, the earlier ones kept', async () => {
    const c = await dora();
    await c.command('C', 'CREATE Tagged');
    await c.command('A', 'APPEND Tagged {20+}\r\nSubject: tagged\r\n\r\nx');
    await c.command('S', 'SELECT Tagged');
    const keywords = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$keyword-number-${from + i}-with-a-long-name`).join(' ');
    assert.match(await c.command('T1', `STORE 1 +FLAGS.SILENT (${keywords(0, 20)})`), /^T1 OK/m);
    assert.match(await c.command('T2', `STORE 1 +FLAGS.SILENT (${keywords(20, 60)})`), /^T2 NO \[LIMIT\] Too many keywords/m);
    assert.match(await c.command('A2', `APPEND Tagged (${keywords(0, 60)}) {20+}\r\nSubject: tagged\r\n\r\nx`), /^A2 NO \[LIMIT\]/m);
    const flags = await c.command('F', 'FETCH 1:* FLAGS');
    assert.equal((flags.match(/\$keyword-number-/g) ?? []).length, 20);
    assert.doesNotMatch(flags, /^\* 2 FETCH/m);
    c.close();
  });

  test('M2 LIST with several patterns, RETURN (CHILDREN STATUS (…)) and the SPECIAL-USE selection', async () => {
    const c = await dora();
    await c.command('C', 'CREATE Trips/2026');
    await c.command('A', 'APPEND Trips/2026 {20+}\r\nSubject: ticket\r\n\r\nx');
    const listed = await c.command('L1', 'LIST "" (Trips Trips/2026) RETURN (CHILDREN STATUS (MESSAGES UNSEEN))');
    assert.match(listed, /^\* LIST \(\\HasChildren\) "\/" "Trips"\r\n\* STATUS "Trips" \(MESSAGES 0 UNSEEN 0\)\r\n/m);
    assert.match(listed, /^\* LIST \(\\HasNoChildren\) "\/" "Trips\/2026"\r\n\* STATUS "Trips\/2026" \(MESSAGES 1 UNSEEN 1\)\r\n/m);
    const special = await c.command('L2', 'LIST (SPECIAL-USE) "" *');
    assert.match(special, /^\* LIST \(\\Sent\) /m);
    assert.doesNotMatch(special, /INBOX|Trips/);
    assert.match(await c.command('B1', 'LIST (RECURSIVEMATCH) "" *'), /^B1 BAD/m);
    assert.match(await c.command('B2', 'LIST (FANCY) "" *'), /^B2 BAD/m);
    assert.match(await c.command('B3', 'LIST "" * RETURN (STATUS (COLOUR))'), /^B3 BAD/m);
    c.close();
  });
});
