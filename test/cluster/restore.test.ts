// SPEC O1: the backup of docs/deploy.md, tried: pg_dump of the database and a copy of the blob
// directory, restored into a fresh database and data directory, and a node started on them serves
// the same accounts and mail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/context.ts';
import { freshDatabase, HttpBrowser, killNode, startNode, type ClusterNode } from '../helpers/cluster.ts';
import { RawClient } from '../helpers/rawClient.ts';

const address = 'restore@example.edu';
const password = 'a long restore passphrase';
const dir = mkdtempSync(join(tmpdir(), 'postern-restore-'));
const secrets = { POSTERN_SECRET_PEPPER: randomBytes(32).toString('base64'), POSTERN_SECRET_DATA_KEY: randomBytes(32).toString('base64') };
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

test('O1 a pg_dump and a copy of the blob directory, restored into a fresh database, serve the same accounts and mail', { timeout: 90_000 }, async () => {
  const original = await freshDatabase();
  cleanups.push(() => original.drop());
  const before = { ...secrets, POSTERN_DATABASE_URL: original.url, POSTERN_BLOB_STORE: 'files', POSTERN_DATA_DIR: join(dir, 'before') };
  const ctx = await createContext(loadConfig(before), { log: pino({ level: 'silent' }) });
  await ctx.accounts.addDomain('example.edu');
  const account = await ctx.accounts.create({ address, password });
  await ctx.mail.deliver(account.id, Buffer.from(`From: someone@example.org\r\nTo: ${address}\r\nSubject: kept in the backup\r\nMessage-ID: <backup@example.org>\r\n\r\nthe body survives\r\n`));
  // Larger than the database keeps (store/blobs.ts mixedBlobStore): its bytes are in the blob directory.
  await ctx.mail.deliver(account.id, Buffer.from(`From: someone@example.org\r\nTo: ${address}\r\nSubject: a large one\r\nMessage-ID: <large@example.org>\r\n\r\n${'the attachment survives\r\n'.repeat(50_000)}`));
  await ctx.close();

  // The backup: what docs/deploy.md says to keep.
  const dump = join(dir, 'postern.dump');
  execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, '--no-owner', original.url]);
  cpSync(join(dir, 'before', 'blobs'), join(dir, 'backup-blobs'), { recursive: true });

  // The restore: an empty database and data directory, the same secrets.
  const restored = await freshDatabase();
  cleanups.push(() => restored.drop());
  execFileSync('pg_restore', ['--no-owner', `--dbname=${restored.url}`, dump]);
  cpSync(join(dir, 'backup-blobs'), join(dir, 'after', 'blobs'), { recursive: true });
  const node: ClusterNode = await startNode({ ...secrets, POSTERN_DATABASE_URL: restored.url, POSTERN_BLOB_STORE: 'files', POSTERN_DATA_DIR: join(dir, 'after') });
  cleanups.push(() => killNode(node));

  const browser = new HttpBrowser(node.ports.web, '127.0.0.1');
  assert.equal((await browser.login(address, password)).json().status, 'ok', 'the account signs in');
  const imap = await RawClient.connect(node.ports.imaps, true);
  await imap.until(/^\* OK/m);
  assert.match(await imap.command('L', `LOGIN ${address} "${password}"`), /^L OK/m);
  assert.match(await imap.command('S', 'SELECT INBOX'), /^\* 2 EXISTS/m);
  const fetched = await imap.command('F', 'FETCH 1 (BODY[])');
  assert.match(fetched, /Subject: kept in the backup/);
  assert.match(fetched, /the body survives/, 'the small message\'s bytes came back with the database');
  assert.match(await imap.command('G', 'FETCH 2 (BODY[]<0.200>)'), /Subject: a large one[\s\S]*the attachment survives/, 'the large message\'s bytes came back from the blob copy');
  imap.close();
});
