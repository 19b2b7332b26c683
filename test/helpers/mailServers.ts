// Starts the IMAP and POP3 servers on port 0 over an in-memory store, with a self-signed cert.
import type { Logger } from 'pino';
import { generate } from 'selfsigned';
import type { AuthResult } from '../../src/protocols/imap/backend.ts';
import { startImapServer } from '../../src/protocols/imap/server.ts';
import type { ImapLimits } from '../../src/protocols/imap/session.ts';
import type { RunningListeners } from '../../src/protocols/listener.ts';
import { startPop3Server } from '../../src/protocols/pop3/server.ts';
import type { Pop3Limits } from '../../src/protocols/pop3/session.ts';
import { MemoryMailStore } from './memoryMailStore.ts';

let certPromise: Promise<{ cert: string; key: string }> | undefined;

export function testCertificate(): Promise<{ cert: string; key: string }> {
  certPromise ??= generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 }).then((p) => ({ cert: p.cert, key: p.private }));
  return certPromise;
}

/** Users: alice/alice-pw (account "alice"), bob/bob-pw; "twofa" is refused with app_password_required. */
export async function testAuthenticator(_protocol: string, username: string, password: string): Promise<AuthResult> {
  if (username === 'alice' && password === 'alice-pw') return { ok: true, accountId: 'alice', credential: { kind: 'password' } };
  if (username === 'bob' && password === 'bob-pw') return { ok: true, accountId: 'bob', credential: { kind: 'password' } };
  if (username === 'twofa') return { ok: false, reason: 'app_password_required' };
  return { ok: false, reason: 'invalid_credentials' };
}

export interface TestServers {
  store: MemoryMailStore;
  imap: RunningListeners;
  pop3: RunningListeners;
  close(): Promise<void>;
}

export async function startTestServers(limits: { imap?: Partial<ImapLimits>; pop3?: Partial<Pop3Limits> } = {}, log?: Logger): Promise<TestServers> {
  const { cert, key } = await testCertificate();
  const store = new MemoryMailStore();
  const common = { authenticate: testAuthenticator, log, host: '127.0.0.1', port: 0, tlsPort: 0, hostname: 'localhost', tls: { cert, key } };
  const imap = await startImapServer({ ...common, backend: store, limits: { authFailureDelayMs: 50, ...limits.imap } });
  const pop3 = await startPop3Server({ ...common, backend: store, limits: { authFailureDelayMs: 50, ...limits.pop3 } });
  return {
    store,
    imap,
    pop3,
    async close() {
      await Promise.all([imap.close(), pop3.close()]);
    },
  };
}
