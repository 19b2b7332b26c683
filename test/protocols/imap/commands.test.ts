import assert from 'node:assert/strict';
import tls from 'node:tls';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
before(async () => {
  servers = await startTestServers({ imap: { maxConnectionsPerIp: 40, maxAuthFailures: 2 } });
  for (let i = 1; i <= 3; i++) servers.store.deliver('bob', `Subject: m${i}\r\n\r\nbody ${i}\r\n`);
});
after(() => servers.close());

async function connect(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  return c;
}

async function bob(): Promise<RawClient> {
  const c = await connect();
  await c.command('L', 'LOGIN bob bob-pw');
  return c;
}

test('M2 AUTHENTICATE PLAIN with SASL-IR and with a continuation', async () => {
  const c = await connect();
  const ir = Buffer.from('\0bob\0bob-pw').toString('base64');
  assert.match(await c.command('A1', `AUTHENTICATE PLAIN ${ir}`), /^A1 OK \[CAPABILITY [^\]]*CONDSTORE/m);
  c.close();
  const d = await connect();
  d.send('A2 AUTHENTICATE PLAIN\r\n');
  await d.until(/^\+ /m);
  d.send(`${ir}\r\n`);
  assert.match(await d.until(/^A2 /m), /^A2 OK/m);
  d.close();
  const e = await connect();
  assert.match(await e.command('A3', `AUTHENTICATE PLAIN ${Buffer.from('admin\0bob\0bob-pw').toString('base64')}`), /^A3 BAD/m);
  e.close();
});

test('E1 refused logins wait, never say whether the account exists, and end the connection after the limit', async () => {
  const c = await connect();
  const started = Date.now();
  assert.match(await c.command('A1', 'LOGIN nobody x'), /^A1 NO \[AUTHENTICATIONFAILED\] invalid username or password\r\n/m);
  assert.ok(Date.now() - started >= 45);
  assert.match(await c.command('A2', 'LOGIN bob wrong'), /^A2 NO \[AUTHENTICATIONFAILED\] invalid username or password\r\n/m);
  await c.until(/^\* BYE/m);
  await c.waitClosed();
});

test('M2 LOGIN is refused before STARTTLS and pipelined input after STARTTLS is discarded', async () => {
  const c = await RawClient.connect(servers.imap.port!, false);
  assert.match(await c.until(/^\* OK/m), /LOGINDISABLED/);
  assert.match(await c.command('A1', 'LOGIN bob bob-pw'), /^A1 NO \[PRIVACYREQUIRED\]/m);
  c.send('A2 STARTTLS\r\nA3 LOGIN bob bob-pw\r\n');
  await c.until(/^A2 OK/m);
  c.socket.removeAllListeners('data');
  const secure = tls.connect({ socket: c.socket, rejectUnauthorized: false });
  await new Promise((r) => secure.once('secureConnect', r));
  const s = new RawClient(secure);
  assert.match(await s.command('A4', 'CAPABILITY'), /^\* CAPABILITY .*AUTH=PLAIN/m);
  assert.match(await s.command('A5', 'SELECT INBOX'), /^A5 BAD/m, 'the pipelined LOGIN was not executed');
  s.close();
});

test('M2 CONDSTORE: MODSEQ in FETCH, CHANGEDSINCE, STORE UNCHANGEDSINCE reports MODIFIED', async () => {
  const c = await bob();
  assert.match(await c.command('E', 'ENABLE CONDSTORE'), /^\* ENABLED CONDSTORE/m);
  const select = await c.command('S', 'SELECT INBOX');
  const highest = Number(/HIGHESTMODSEQ (\d+)/.exec(select)![1]);
  assert.match(await c.command('F', 'FETCH 1 (FLAGS)'), /^\* 1 FETCH \(FLAGS \((\\Recent)?\) MODSEQ \(\d+\)\)/m);
  const store = await c.command('T', 'STORE 1 +FLAGS (\\Flagged)');
  const modseq = Number(/MODSEQ \((\d+)\)/.exec(store)![1]);
  assert.ok(modseq > highest);
  const changed = await c.command('C', `FETCH 1:* (UID FLAGS) (CHANGEDSINCE ${highest})`);
  assert.equal(changed.match(/^\* \d+ FETCH/gm)!.length, 1);
  assert.match(await c.command('U', `STORE 1,2 (UNCHANGEDSINCE ${highest}) +FLAGS.SILENT (\\Seen)`), /^U OK \[MODIFIED 1\]/m);
  assert.match(await c.command('Q', `UID SEARCH MODSEQ ${modseq}`), /^\* SEARCH [\d ]+ \(MODSEQ \d+\)/m);
  c.close();
});

test('M2 EXAMINE is read-only; ID, NAMESPACE, UNSELECT, STATUS and bad arguments', async () => {
  const c = await bob();
  assert.match(await c.command('E', 'EXAMINE INBOX'), /^E OK \[READ-ONLY\]/m);
  assert.match(await c.command('S', 'STORE 1 +FLAGS (\\Seen)'), /^S NO \[READ-ONLY\]/m);
  assert.doesNotMatch(await c.command('F', 'FETCH 1 BODY[]'), /\\Seen/);
  assert.match(await c.command('I', 'ID ("name" "test")'), /^\* ID \("name" "Postern"/m);
  assert.match(await c.command('U', 'UNSELECT'), /^U OK/m);
  assert.match(await c.command('F2', 'FETCH 1 FLAGS'), /^F2 BAD/m);
  assert.match(await c.command('ST', 'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)'), /^\* STATUS "INBOX" \(MESSAGES 3 UIDNEXT 4 UIDVALIDITY \d+ UNSEEN \d HIGHESTMODSEQ \d+\)/m);
  assert.match(await c.command('B1', 'SELECT "&ZeVnLIqe"'), /^B1 NO/m, 'invalid modified UTF-7 names no mailbox (imaptest atoms)');
  assert.match(await c.command('B2', 'SELECT Nonexistent'), /^B2 NO \[NONEXISTENT\]/m);
  assert.match(await c.command('B3', 'FROB'), /^B3 BAD/m);
  assert.match(await c.command('B4', 'CREATE INBOX'), /^B4 NO \[ALREADYEXISTS\]/m);
  assert.match(await c.command('B5', 'DELETE INBOX'), /^B5 NO/m);
  await c.command('S2', 'SELECT INBOX');
  assert.match(await c.command('B6', 'SEARCH CHARSET GBK ALL'), /^B6 NO \[BADCHARSET/m);
  assert.match(await c.command('B7', 'APPEND Missing {3+}\r\nabc'), /^B7 NO \[TRYCREATE\]/m);
  c.close();
});

test('M2 per-IP connection limit answers BYE to the connection over the limit', async () => {
  while (servers.imap.connections() > 0) await new Promise((r) => setTimeout(r, 10));
  const clients = await Promise.all(Array.from({ length: 40 }, () => connect()));
  const extra = await RawClient.connect(servers.imap.tlsPort!, true);
  assert.match(await extra.until(/^\* BYE/m), /Too many connections/);
  for (const c of clients) c.close();
  extra.close();
});
