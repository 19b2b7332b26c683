import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator for core tests: real P-256 keys, real CBOR attestation objects
 * (format `none`) and real signatures over authenticator data, as a browser would pass them on.
 * What a browser would make sure of (origin, RP ID) a test may set to anything, as an attacker could.
 */
export class SoftAuthenticator {
  readonly credentialId = isoBase64URL.fromBuffer(new Uint8Array(randomBytes(16)));
  counter = 0;
  readonly #keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  #userHandle = '';

  readonly options: { uv?: boolean; discoverable?: boolean; synced?: boolean; counts?: boolean };

  constructor(options: SoftAuthenticator['options'] = {}) {
    this.options = options;
  }

  #flags(attested: boolean): number {
    const { uv = true, synced = false } = this.options;
    return 0x01 | (uv ? 0x04 : 0) | (synced ? 0x18 : 0) | (attested ? 0x40 : 0);
  }

  #authData(rpId: string, attested: boolean): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const parts = [createHash('sha256').update(rpId).digest(), Buffer.from([this.#flags(attested)]), counter];
    if (attested) {
      const id = Buffer.from(isoBase64URL.toBuffer(this.credentialId));
      const length = Buffer.alloc(2);
      length.writeUInt16BE(id.length);
      parts.push(Buffer.alloc(16), length, id, Buffer.from(coseKey(this.#keys.publicKey)));
    }
    return Buffer.concat(parts);
  }

  /** `navigator.credentials.create()` with the server's options, from `origin`. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, origin: string, rpId = options.rp.id!): string {
    this.#userHandle = options.user.id;
    const clientDataJSON = clientData('webauthn.create', options.challenge, origin);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(this.#authData(rpId, true))]]) as never);
    return JSON.stringify({
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      authenticatorAttachment: this.options.synced ? 'platform' : 'cross-platform',
      clientExtensionResults: { credProps: { rk: this.options.discoverable ?? true } },
      response: { clientDataJSON, attestationObject: isoBase64URL.fromBuffer(attestationObject), transports: ['usb'] },
    });
  }

  /** `navigator.credentials.get()` for `challenge`, from `origin`; a counting key counts up first. */
  get(challenge: string, origin: string, rpId: string): string {
    if (this.options.counts ?? true) this.counter += 1;
    const clientDataJSON = clientData('webauthn.get', challenge, origin);
    const authenticatorData = this.#authData(rpId, false);
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(Buffer.from(isoBase64URL.toBuffer(clientDataJSON))).digest()]);
    return JSON.stringify({
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: isoBase64URL.fromBuffer(new Uint8Array(authenticatorData)),
        signature: isoBase64URL.fromBuffer(new Uint8Array(sign('sha256', signed, this.#keys.privateKey))),
        userHandle: this.#userHandle,
      },
    });
  }

  /** This key's answer claiming the account of `other`'s key (its user handle): another account's credential. */
  claiming(other: SoftAuthenticator, answer: string): string {
    const parsed = JSON.parse(answer) as { response: { userHandle: string } };
    return JSON.stringify({ ...parsed, response: { ...parsed.response, userHandle: other.#userHandle } });
  }
}

function clientData(type: string, challenge: string, origin: string): string {
  return isoBase64URL.fromUTF8String(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = new Uint8Array(isoBase64URL.toBuffer(jwk.x!));
  const y = new Uint8Array(isoBase64URL.toBuffer(jwk.y!));
  return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]) as never);
}
