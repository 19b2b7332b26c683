import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { loadTls } from '../src/tls.ts';

const dir = mkdtempSync(join(tmpdir(), 'postern-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('dev: a self-signed certificate for the mail host name is made once in <dataDir>/tls and reused', async () => {
  const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_MAIL_HOSTNAME: 'mail.example.edu' });
  const first = await loadTls(config);
  const cert = new X509Certificate(first.cert);
  assert.equal(first.selfSigned, true);
  assert.match(cert.subjectAltName ?? '', /DNS:mail\.example\.edu/);
  assert.equal(statSync(join(dir, 'tls', 'key.pem')).mode & 0o777, 0o600);
  const second = await loadTls(config);
  assert.ok(second.cert.equals(first.cert), 'the same certificate at the next start');
});

test('configured certificate files that cannot be read stop the start with the setting named', async () => {
  const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_TLS_CERT: join(dir, 'missing.pem'), POSTERN_TLS_KEY: join(dir, 'missing-key.pem') });
  await assert.rejects(loadTls(config), /POSTERN_TLS_KEY=.*missing-key\.pem: cannot be read/);
});
