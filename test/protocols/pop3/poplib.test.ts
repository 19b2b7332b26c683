import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dotStuff } from '../../../src/protocols/pop3/session.ts';
import { startTestServers, type TestServers } from '../../helpers/mailServers.ts';

const run = promisify(execFile);
let servers: TestServers;
before(async () => (servers = await startTestServers()));
after(() => servers.close());

const first = 'From: a@example.edu\r\nSubject: =?UTF-8?B?5L2g5aW9?=\r\n\r\n.starts with a dot\r\n..two dots\r\n中文正文\r\n';
const second = 'Subject: two\r\n\r\nline 1\r\nline 2\r\nline 3\r\n';

test('M2 E1 Python poplib: STLS, login rules, STAT/LIST/UIDL/TOP/RETR, deletions only at QUIT', async () => {
  servers.store.deliver('alice', first);
  servers.store.deliver('alice', second);
  const script = fileURLToPath(new URL('./poplib_client.py', import.meta.url));
  const { stdout } = await run('python3', [script, String(servers.pop3.port), String(servers.pop3.tlsPort)]);
  const out = JSON.parse(stdout);
  assert.ok(out.plain_capa.includes('STLS') && !out.plain_capa.includes('USER'));
  assert.match(out.plain_user, /^-ERR/);
  assert.ok(out.tls_capa.includes('USER') && out.tls_capa.includes('UIDL') && out.tls_capa.includes('TOP') && !out.tls_capa.includes('STLS'));
  assert.equal(out.twofa, '-ERR [AUTH] use a client-specific password');
  assert.match(out.wrong, /^-ERR \[AUTH\]/);
  assert.doesNotMatch(out.wrong, /客户端专用密码/);
  const sizes = [Buffer.byteLength(first), Buffer.byteLength(second)];
  assert.deepEqual(out.stat, [2, sizes[0] + sizes[1]]);
  assert.deepEqual(out.list, [`1 ${sizes[0]}`, `2 ${sizes[1]}`]);
  assert.equal(out.uidl.length, 2);
  assert.match(out.uidl_one, /^\+OK 2 \d+-2$/);
  assert.equal(out.retr, first, 'RETR gives the message byte for byte after un-stuffing');
  assert.deepEqual(out.top, ['Subject: two', '', 'line 1']);
  assert.match(out.dele, /^\+OK/);
  assert.match(out.retr_deleted, /^-ERR/);
  assert.deepEqual(out.stat_after_dele, [1, sizes[1]]);
  assert.deepEqual(out.stat_after_rset, [2, sizes[0] + sizes[1]]);
  assert.match(out.noop, /^\+OK/);
  assert.match(out.quit, /^\+OK/);
  assert.deepEqual(out.stat_next_session, [1, sizes[0]], 'message 2 deleted at QUIT; AUTH PLAIN works');
});

test('M2 dot-stuffing doubles leading dots and terminates the response', () => {
  assert.equal(dotStuff(Buffer.from('.a\r\nb\r\n.\r\n')).toString(), '..a\r\nb\r\n..\r\n.\r\n');
  assert.equal(dotStuff(Buffer.from('no final newline')).toString(), 'no final newline\r\n.\r\n');
});
