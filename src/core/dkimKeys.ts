import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeDomain } from './addresses.ts';
import { PosternError } from './errors.ts';
import type { AccountRepo, Clock } from './ports.ts';
import type { SecretBox } from './secretBox.ts';

export interface DkimKeyRecord {
  domain: string;
  selector: string;
  algorithm: 'ed25519' | 'rsa';
  /** The `p=` value of the DNS record: the raw key for Ed25519 (RFC 8463), SubjectPublicKeyInfo for RSA. */
  publicKey: string;
  sealedPrivateKey: string;
  createdAt: Date;
}

export interface DkimKeyRepo {
  /** Stores the keys of one domain together, or none of them. */
  insertAll(keys: DkimKeyRecord[]): Promise<void>;
  list(domain: string): Promise<DkimKeyRecord[]>;
}

export interface SigningKey {
  selector: string;
  algorithm: 'ed25519' | 'rsa';
  privateKey: string;
}

const sealContext = (domain: string, selector: string) => `dkim:${domain}:${selector}`;

function generate(algorithm: 'ed25519' | 'rsa'): { publicKey: string; privateKey: string } {
  if (algorithm === 'rsa') {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
  }
  const pair = generateKeyPairSync('ed25519');
  // The SubjectPublicKeyInfo of an Ed25519 key is a fixed 12-byte prefix and the 32-byte key.
  return { publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64'), privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

/**
 * Per-domain DKIM keys (SPEC M6): an Ed25519 and an RSA-2048 key, RSA for receivers that lack
 * Ed25519. The private keys are sealed at rest like every other secret.
 */
export class DkimKeys {
  readonly #repo: DkimKeyRepo;
  readonly #accounts: AccountRepo;
  readonly #box: SecretBox;
  readonly #clock: Clock;

  constructor(deps: { repo: DkimKeyRepo; accounts: AccountRepo; box: SecretBox; clock: Clock }) {
    this.#repo = deps.repo;
    this.#accounts = deps.accounts;
    this.#box = deps.box;
    this.#clock = deps.clock;
  }

  /** The domain's keys, created on first use; `created` says whether they are new (and still to be published). */
  async ensure(input: string): Promise<{ created: boolean; keys: DkimKeyRecord[] }> {
    const domain = normalizeDomain(input);
    if (!(await this.#accounts.domainExists(domain))) throw new PosternError('unknown_domain', { domain });
    const existing = await this.#repo.list(domain);
    if (existing.length > 0) return { created: false, keys: existing };
    const now = this.#clock.now();
    const month = now.toISOString().slice(0, 7).replace('-', '');
    const keys = (['ed25519', 'rsa'] as const).map((algorithm) => {
      const selector = `${algorithm === 'rsa' ? 'rsa' : 'ed'}${month}`;
      const pair = generate(algorithm);
      return { domain, selector, algorithm, publicKey: pair.publicKey, sealedPrivateKey: this.#box.seal(pair.privateKey, sealContext(domain, selector)), createdAt: now };
    });
    await this.#repo.insertAll(keys);
    return { created: true, keys };
  }

  /** The opened private keys to sign the domain's mail with; none when the domain has no keys. */
  async signingKeys(domain: string): Promise<SigningKey[]> {
    const keys = await this.#repo.list(domain.toLowerCase());
    return keys.map((k) => ({ selector: k.selector, algorithm: k.algorithm, privateKey: this.#box.open(k.sealedPrivateKey, sealContext(k.domain, k.selector)) }));
  }
}

const relayMechanism = (host: string) => (isIP(host) === 4 ? `ip4:${host}` : isIP(host) === 6 ? `ip6:${host}` : `a:${host}`);

/** The DNS TXT records to publish: the keys, and suggested SPF and DMARC records. */
export function dkimDnsRecords(domain: string, keys: DkimKeyRecord[], relayHost: string | undefined): { name: string; value: string; kind: 'dkim' | 'spf' | 'dmarc' }[] {
  return [
    ...keys.map((k) => ({ kind: 'dkim' as const, name: `${k.selector}._domainkey.${domain}`, value: `v=DKIM1; k=${k.algorithm}; p=${k.publicKey}` })),
    { kind: 'spf', name: domain, value: `v=spf1 mx${relayHost ? ` ${relayMechanism(relayHost)}` : ''} -all` },
    { kind: 'dmarc', name: `_dmarc.${domain}`, value: `v=DMARC1; p=quarantine; adkim=r; aspf=r; rua=mailto:postmaster@${domain}` },
  ];
}
