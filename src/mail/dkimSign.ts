import type { SigningKey } from '../core/dkimKeys.ts';
import { headerAddresses } from './headers.ts';
import { loadMailauth } from './mailAuth.ts';

/** mailauth's signer as its README documents it: one entry per key in `signatureData`. */
type SignOptions = { canonicalization: string; signatureData: { signingDomain: string; selector: string; privateKey: string; algorithm: string }[] };
type Sign = (input: Buffer, options: SignOptions) => Promise<{ signatures: string; errors: { err: Error }[] }>;

/**
 * DKIM-signs outgoing mail with every key of its `From:` domain (Ed25519 and RSA, relaxed/relaxed,
 * mailauth's usual header set); mail of a domain without keys goes out as it is.
 */
export function domainSigner(keysOf: (domain: string) => Promise<SigningKey[]>): (raw: Buffer) => Promise<Buffer> {
  return async (raw) => {
    const from = headerAddresses(raw, 'from')[0];
    const domain = from?.slice(from.lastIndexOf('@') + 1).toLowerCase();
    const keys = domain ? await keysOf(domain) : [];
    if (keys.length === 0) return raw;
    const signatureData = keys.map((k) => ({ signingDomain: domain!, selector: k.selector, privateKey: k.privateKey, algorithm: k.algorithm === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256' }));
    const sign = (await loadMailauth()).dkimSign as unknown as Sign;
    const result = await sign(raw, { canonicalization: 'relaxed/relaxed', signatureData });
    if (result.errors.length > 0) throw result.errors[0].err;
    return Buffer.concat([Buffer.from(result.signatures), raw]);
  };
}
