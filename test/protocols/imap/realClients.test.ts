// mbsync (isync) and fetchmail, the real programs, against IMAP over the real mail store.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { testCertificate } from '../../helpers/mailServers.ts';
import { sqliteStore } from '../../helpers/db.ts';
import { startStoreImapServer, type StoreImapServer } from '../../helpers/storeImapServer.ts';

const run = promisify(execFile);
const message = (subject: string) => Buffer.from(`From: 王五 <wangwu@example.edu>\r\nTo: carol@example.edu\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.edu>\r\n\r\nBody of ${subject}.\r\n`);

let db: Awaited<ReturnType<typeof sqliteStore>>;
let imap: StoreImapServer;
let dir: string;
let certFile: string;

before(async () => {
  db = await sqliteStore();
  imap = await startStoreImapServer(db.store, 'carol');
  dir = mkdtempSync(join(tmpdir(), 'postern-clients-'));
  certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, (await testCertificate()).cert);
  for (const subject of ['first', 'second', 'third']) await imap.backend.append(imap.accountId, 'INBOX', [{ raw: message(subject), flags: [], internalDate: new Date() }]);
});
after(async () => {
  await imap.close();
  await db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const filesIn = (path: string) => readdirSync(path).map((f) => readFileSync(join(path, f), 'utf8'));

test('M2 mbsync mirrors INBOX into a Maildir and pushes a local message and a flag back', async () => {
  const maildir = join(dir, 'maildir');
  mkdirSync(maildir);
  const rc = join(dir, 'mbsyncrc');
  writeFileSync(rc, [
    'IMAPAccount postern', 'Host localhost', `Port ${imap.server.tlsPort}`, 'User carol', 'Pass pw', 'SSLType IMAPS', `CertificateFile ${certFile}`, '',
    'IMAPStore remote', 'Account postern', '',
    'MaildirStore local', `Path ${maildir}/`, `Inbox ${maildir}/INBOX`, '',
    'Channel mirror', 'Far :remote:', 'Near :local:', 'Patterns INBOX', 'Create Both', 'Expunge Both', 'SyncState *', '',
  ].join('\n'));
  await run('mbsync', ['-c', rc, '-a']);
  const fetched = filesIn(join(maildir, 'INBOX', 'cur')).concat(filesIn(join(maildir, 'INBOX', 'new')));
  assert.deepEqual(fetched.map((m) => /^Subject: (.*)$/m.exec(m)?.[1]).sort(), ['first', 'second', 'third']);
  assert.ok(fetched.every((m) => m.includes('王五')), 'the bytes as stored');

  // A message written locally is uploaded; a message marked seen locally is flagged on the server.
  writeFileSync(join(maildir, 'INBOX', 'new', `${Date.now()}.local.host`), message('local').toString());
  const [first] = ['new', 'cur'].flatMap((sub) => readdirSync(join(maildir, 'INBOX', sub)).map((f) => join(maildir, 'INBOX', sub, f))).filter((f) => readFileSync(f, 'utf8').includes('Subject: first'));
  writeFileSync(join(maildir, 'INBOX', 'cur', `${first.split('/').pop()!.replace(/:2,.*$/, '')}:2,S`), readFileSync(first));
  rmSync(first);
  await run('mbsync', ['-c', rc, '-a']);
  const opened = await imap.backend.openMailbox(imap.accountId, 'INBOX', false, () => {});
  opened.close();
  assert.equal(opened.snapshot.messages.length, 4);
  assert.deepEqual(opened.snapshot.messages.filter((m) => m.flags.includes('\\Seen')).map((m) => m.uid), [1]);
});

test('M2 fetchmail over IMAPS downloads every message and keeps them on the server, read', async () => {
  const out = join(dir, 'fetched');
  mkdirSync(out);
  const rc = join(dir, 'fetchmailrc');
  writeFileSync(rc, `poll localhost protocol IMAP port ${imap.server.tlsPort}\n  user "carol" password "pw" ssl sslcertfile "${certFile}" sslcertck keep fetchall\n  mda "/bin/sh -c 'cat > $(mktemp ${out}/m.XXXXXX)'"\n`);
  chmodSync(rc, 0o600);
  const env = { ...process.env, FETCHMAILHOME: dir, HOME: dir };
  await run('fetchmail', ['-f', rc, '--nosyslog', '--nodetach', '-s'], { env });
  const messages = filesIn(out);
  assert.equal(messages.length, 4);
  assert.ok(messages.some((m) => m.includes('Subject: second')));
  const opened = await imap.backend.openMailbox(imap.accountId, 'INBOX', false, () => {});
  opened.close();
  assert.equal(opened.snapshot.messages.length, 4, 'kept on the server');
  assert.ok(opened.snapshot.messages.every((m) => m.flags.includes('\\Seen')), 'and marked as read');
});
