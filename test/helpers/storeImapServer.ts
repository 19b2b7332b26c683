// An IMAP server over the real mail store of a test database, with one account signing in as `user` / "pw".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailStore } from '../../src/mail/mailStore.ts';
import { startImapServer } from '../../src/protocols/imap/server.ts';
import type { RunningListeners } from '../../src/protocols/listener.ts';
import { MailStoreBackend } from '../../src/protocols/mailStoreBackend.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { fileBlobStore } from '../../src/store/blobs.ts';
import { mailRepo } from '../../src/store/mailRepo.ts';
import type { Store } from '../../src/store/db.ts';
import { testAccounts } from './accounts.ts';
import { FakeClock } from './clock.ts';
import { testCertificate } from './mailServers.ts';

export interface StoreImapServer {
  backend: MailStoreBackend;
  accountId: string;
  server: RunningListeners;
  /** Stops the server and removes the blobs. */
  close(): Promise<void>;
}

export async function startStoreImapServer(store: Store, user: string): Promise<StoreImapServer> {
  const blobRoot = mkdtempSync(join(tmpdir(), 'postern-imap-blobs-'));
  const clock = new FakeClock();
  const accounts = testAccounts(store.db, clock);
  await accounts.addDomain('example.edu');
  const accountId = (await accounts.create({ address: `${user}@example.edu`, password: `${user} main password` })).id;
  const mail = new MailStore({ repo: mailRepo(store), blobs: fileBlobStore(blobRoot), bus: memoryBus(), accounts: accounts.repo, clock, maxMessageBytes: 100_000 });
  const backend = new MailStoreBackend(mail);
  const { cert, key } = await testCertificate();
  const server = await startImapServer({
    backend,
    authenticate: async (_p, name, pass) => (name === user && pass === 'pw' ? { ok: true, accountId, credential: { kind: 'password' } } : { ok: false, reason: 'invalid' }),
    host: '127.0.0.1',
    tlsPort: 0,
    hostname: 'localhost',
    tls: { cert, key },
    limits: { authFailureDelayMs: 0 },
  });
  return {
    backend,
    accountId,
    server,
    async close() {
      await server.close();
      rmSync(blobRoot, { recursive: true, force: true });
    },
  };
}
