import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** True for the development certificate made at first start. */
  selfSigned: boolean;
}

function read(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${setting}=${file}: cannot be read (${(err as NodeJS.ErrnoException).code}); example: ${setting}=/etc/postern/tls/${setting.endsWith('KEY') ? 'privkey' : 'fullchain'}.pem`);
  }
}

/**
 * The certificate shared by SMTP, IMAP and POP3: the configured files, or in development a
 * self-signed one generated once into `<dataDir>/tls/`.
 */
export async function loadTls(config: Config): Promise<TlsMaterial> {
  if (config.tls) return { key: read(config.tls.keyFile, 'POSTERN_TLS_KEY'), cert: read(config.tls.certFile, 'POSTERN_TLS_CERT'), selfSigned: false };
  const dir = join(config.dataDir, 'tls');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const names = [...new Set([config.mailHostname, 'localhost'])];
    const pems = await selfsigned.generate([{ name: 'commonName', value: config.mailHostname }], {
      // ECDSA P-256: every current mail client accepts it, and a handshake costs a fraction of RSA's.
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
      extensions: [{ name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }] }],
    });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    writeFileSync(certFile, pems.cert);
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), selfSigned: true };
}
