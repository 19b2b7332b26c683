// BINARY (RFC 3516) and CATENATE (RFC 4469), spoken over a TLS socket as a client would.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';
import { RawClient } from '../../helpers/rawClient.ts';

let servers: TestServers;
const multipart = [
  'From: a@example.org',
  'Subject: parts',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9  ',
  'soft=',
  'break',
  '--b',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAw==',
  '--b',
  'Content-Type: text/plain',
  'Content-Transfer-Encoding: x-unknown',
  '',
  'what',
  '--b--',
  '',
].join('\r\n');

before(async () => {
  servers = await startTestServers();
  servers.store.deliver('bob', multipart);
});
after(() => servers.close());

async function bob(): Promise<RawClient> {
  const c = await RawClient.connect(servers.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  assert.match(await c.command('L', 'LOGIN bob bob-pw'), /OK/);
  assert.match(await c.command('C', 'CAPABILITY'), /^\* CAPABILITY .*\bCATENATE BINARY\b/m);
  await c.command('S', 'SELECT INBOX');
  return c;
}

test('M2 BINARY: a part comes decoded from quoted-printable and base64, with its decoded size', async () => {
  const c = await bob();
  const qp = await c.command('B1', 'FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])');
  assert.match(qp, /BINARY\[1\] \{16\}\r\ncafé\r\nsoftbreak BINARY\.SIZE\[1\] 16/);
  // NUL bytes travel as a literal8.
  const b64 = await c.command('B2', 'FETCH 1 (BINARY.PEEK[2]<1.2>)');
  assert.ok(b64.includes('BINARY[2]<1> {2}\r\n\x01\x02'), b64);
  assert.ok((await c.command('B3', 'FETCH 1 BINARY.PEEK[2]')).includes('BINARY[2] ~{4}\r\n\x00\x01\x02\x03'));
  assert.match(await c.command('B4', 'FETCH 1 BINARY.PEEK[3]'), /^B4 NO \[UNKNOWN-CTE\]/m);
  assert.match(await c.command('B5', 'FETCH 1 BINARY[1.HEADER]'), /^B5 BAD/m);
  // BINARY.PEEK left \Seen alone; BINARY sets it.
  assert.doesNotMatch(await c.command('F1', 'FETCH 1 FLAGS'), /\\Seen/);
  assert.match(await c.command('B6', 'FETCH 1 BINARY[1]'), /FLAGS \(\\Seen/);
  c.close();
});

test('M2 BINARY: an APPENDed literal8 with NUL bytes is stored base64-encoded and reads back the same', async () => {
  const c = await bob();
  const body = Buffer.from([0, 0x01, 0x41, 0x0d, 0x0a]);
  const message = Buffer.concat([Buffer.from('From: a@example.org\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'), body]);
  const reply = await c.command('A', `APPEND Sent ~{${message.length}+}\r\n${message.toString('latin1')}`);
  assert.match(reply, /^A OK \[APPENDUID/m);
  await c.command('S2', 'SELECT Sent');
  const stored = await c.command('F', 'FETCH 1 (BODY.PEEK[] BINARY.PEEK[1])');
  assert.match(stored, /Content-Transfer-Encoding: base64\r\n\r\nAAFBDQo=/);
  assert.ok(stored.includes(`BINARY[1] ~{5}\r\n${body.toString('latin1')}`), stored);
  c.close();
});

test('M2 CATENATE: APPEND joins literal text with parts of stored messages named by IMAP URLs', async () => {
  const c = await bob();
  const status = await c.command('ST', 'STATUS INBOX (UIDVALIDITY)');
  const validity = /UIDVALIDITY (\d+)/.exec(status)![1];
  const text = 'From: new@example.org\r\n\r\n';
  const reply = await c.command('A1', `APPEND Drafts CATENATE (TEXT {${text.length}+}\r\n${text} URL "/INBOX;UIDVALIDITY=${validity}/;UID=1/;SECTION=1" URL "/INBOX/;UID=1/;SECTION=HEADER/;PARTIAL=0.7")`);
  assert.match(reply, /^A1 OK \[APPENDUID/m);
  await c.command('S2', 'SELECT Drafts');
  assert.ok((await c.command('F', 'FETCH 1 BODY.PEEK[]')).includes('From: new@example.org\r\n\r\ncaf=C3=A9  \r\nsoft=\r\nbreakFrom: a'));
  assert.match(await c.command('A2', `APPEND Drafts CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=1")`), /^A2 NO \[BADURL "\/INBOX;UIDVALIDITY=1\/;UID=1"\]/m);
  assert.match(await c.command('A3', `APPEND Drafts CATENATE (URL "/INBOX/;UID=99")`), /^A3 NO \[BADURL/m);
  assert.match(await c.command('A4', `APPEND Nowhere CATENATE (URL "/INBOX/;UID=99")`), /^A4 NO \[TRYCREATE\]/m);
  assert.match(await c.command('A5', `APPEND Drafts CATENATE (TEXT "x")`), /^A5 BAD/m);
  assert.match(await c.command('ST2', 'STATUS Drafts (MESSAGES)'), /MESSAGES 1\)/);
  c.close();
});

test('M2 CATENATE: a message the parts make larger than an APPEND may be is refused with TOOBIG', async () => {
  const small = await startTestServers({ imap: { maxLiteralBytes: 500 } });
  small.store.deliver('bob', multipart);
  const c = await RawClient.connect(small.imap.tlsPort!, true);
  await c.until(/^\* OK/m);
  await c.command('L', 'LOGIN bob bob-pw');
  assert.match(await c.command('A', 'APPEND Drafts CATENATE (URL "/INBOX/;UID=1" URL "/INBOX/;UID=1")'), /^A NO \[TOOBIG\]/m);
  c.close();
  await small.close();
});
