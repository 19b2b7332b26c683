import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { PosternError } from './errors.ts';
import type { ChallengeEnv, CheckOutcome, Json, Method, PreparedFactor } from './methods.ts';

/** Where passkeys are valid: the relying party id (a domain) and the one origin the browser shows. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

/**
 * The relying party of a public URL (SPEC X1): its host, or `rpId` when that is the host or a
 * parent domain of it. A string says why passkeys cannot work there (production refuses to start).
 */
export function relyingPartyOf(publicUrl: string, rpId?: string): RelyingParty | string {
  const url = new URL(publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const id = rpId ?? host;
  if (isIP(host) || isIP(id)) return `passkeys need a domain name, not the IP address ${host}`;
  if (id !== host && !host.endsWith(`.${id}`)) return `the relying party id ${id} does not match the origin ${url.origin}`;
  if (url.protocol !== 'https:' && host !== 'localhost') return `passkeys need an https origin, not ${url.origin}`;
  return { id, origin: url.origin, name: 'Postern' };
}

/** The factor's sealed data: the credential and what the key said of itself when it was bound. */
export interface WebAuthnData {
  credentialId?: string;
  publicKey?: string;
  counter?: number;
  transports?: string[];
  /** A platform authenticator (this device) or a roaming key (USB, NFC, phone). */
  attachment?: 'platform' | 'cross-platform';
  /** Backup eligible (BE): a synced passkey; it can never become one later, nor stop being one. */
  backupEligible?: boolean;
  backedUp?: boolean;
  /** Bound as a discoverable credential with user verification: it may sign in without a password. */
  passwordless?: boolean;
}

/** What a challenge remembers: the random challenge and whether it is a passwordless sign-in. */
interface ChallengeState {
  challenge: string | null;
  passwordless?: boolean;
}

/** Why a signed answer is refused: each is audited and noticed (SPEC X4). */
export type KeyRefusal = 'challenge' | 'origin' | 'rp_id' | 'credential' | 'counter' | 'backup_flags' | 'user_verification' | 'signature';

/**
 * EdDSA, ES256, RS256: what keys and passkeys use. Named here, the library does not probe the
 * runtime for post-quantum algorithms, which prints an experimental-feature warning on Node.js.
 */
const algorithms = [-8, -7, -257];
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);
/** The user handle of an account: its id, which says nothing about the person. */
export const userHandleOf = (accountId: string): string => isoBase64URL.fromUTF8String(accountId);
export const accountIdOfHandle = (handle: string): string => isoBase64URL.toUTF8String(handle);

function parse<T>(response: string): T | undefined {
  try {
    return JSON.parse(response) as T;
  } catch {
    return undefined;
  }
}

/**
 * Passkeys and security keys (SPEC X1): WebAuthn with attestation `none` and user verification
 * preferred. Each key is its own factor, so an account binds several, each verified by itself when
 * unbound. The counter and the backup-eligibility flag are checked on every assertion; a signed
 * answer from another origin, relying party or credential, or with a counter going back, is
 * refused as suspicious (audited and noticed), as opposed to a cancelled prompt.
 */
export class WebAuthnMethod implements Method {
  readonly kind = 'webauthn' as const;
  readonly style = 'key' as const;
  readonly several = true;
  readonly responsePattern = /^\{[\s\S]{2,16000}\}$/;
  readonly #rp: RelyingParty;

  constructor(rp: RelyingParty) {
    this.#rp = rp;
  }

  async prepare(input: unknown): Promise<PreparedFactor> {
    const name = typeof (input as { name?: unknown })?.name === 'string' ? (input as { name: string }).name.trim() : '';
    if (name.length < 1 || name.length > 40) throw new PosternError('invalid_key_name');
    return { data: {}, label: name, display: null };
  }

  hint(data: Json): string {
    const d = data as WebAuthnData;
    if (d.backupEligible) return 'synced';
    return d.attachment ?? (d.transports?.includes('internal') ? 'platform' : 'cross-platform');
  }

  async start(env: ChallengeEnv) {
    const data = env.data as WebAuthnData;
    const options =
      env.purpose === 'bind'
        ? await generateRegistrationOptions({
            rpName: this.#rp.name,
            rpID: this.#rp.id,
            userName: env.account.address,
            userDisplayName: env.account.displayName || env.account.address,
            userID: isoBase64URL.toBuffer(userHandleOf(env.account.id)),
            attestationType: 'none',
            supportedAlgorithmIDs: algorithms,
            authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
            // The browser then refuses a key that is bound already, before the user touches it.
            excludeCredentials: (await env.boundData()).map((d) => d as WebAuthnData).filter((d) => d.credentialId).map((d) => ({ id: d.credentialId!, transports: d.transports })),
          })
        : await generateAuthenticationOptions({
            rpID: this.#rp.id,
            userVerification: 'preferred',
            allowCredentials: data.credentialId ? [{ id: data.credentialId, transports: data.transports }] : [],
          });
    return { state: { challenge: options.challenge } satisfies ChallengeState, display: { options: options as unknown as Json } };
  }

  /** Options for a passwordless sign-in (any discoverable passkey of this site, with user verification). */
  discoverableOptions(challenge: string) {
    return generateAuthenticationOptions({ rpID: this.#rp.id, userVerification: 'required', challenge: isoBase64URL.toBuffer(challenge) });
  }

  async check(env: ChallengeEnv, response: string): Promise<CheckOutcome> {
    const state = JSON.parse(env.challenge!.state) as ChallengeState;
    return env.purpose === 'bind' ? this.#register(env, state, response) : this.#assert(env, state, response);
  }

  /** The checks of the client data and authenticator data that tell why an answer is refused. */
  #refusal(clientDataJSON: string, authenticatorData: string, state: ChallengeState): KeyRefusal | null {
    const client = decodeClientDataJSON(clientDataJSON);
    if (!state.challenge || client.challenge !== state.challenge) return 'challenge';
    if (client.origin !== this.#rp.origin) return 'origin';
    if (!sameBytes(parseAuthenticatorData(isoBase64URL.toBuffer(authenticatorData)).rpIdHash, sha256(this.#rp.id))) return 'rp_id';
    return null;
  }

  async #register(env: ChallengeEnv, state: ChallengeState, response: string): Promise<CheckOutcome> {
    const answer = parse<RegistrationResponseJSON>(response);
    if (!answer?.response?.clientDataJSON || !answer.response.attestationObject) return 'wrong';
    let info;
    try {
      const authData = isoBase64URL.fromBuffer(new Uint8Array(attestationAuthData(answer.response.attestationObject)));
      const refusal = this.#refusal(answer.response.clientDataJSON, authData, state);
      if (refusal) return { refused: refusal };
      const verified = await verifyRegistrationResponse({ response: answer, expectedChallenge: state.challenge!, expectedOrigin: this.#rp.origin, expectedRPID: this.#rp.id, requireUserVerification: false, supportedAlgorithmIDs: algorithms });
      if (!verified.verified) return 'wrong';
      info = verified.registrationInfo;
    } catch {
      return 'wrong';
    }
    if ((await env.boundData()).some((d) => (d as WebAuthnData).credentialId === info.credential.id)) throw new PosternError('key_already_bound');
    const data: WebAuthnData = {
      credentialId: info.credential.id,
      publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
      counter: info.credential.counter,
      transports: answer.response.transports ?? [],
      attachment: answer.authenticatorAttachment,
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      passwordless: info.userVerified && answer.clientExtensionResults?.credProps?.rk === true,
    };
    return (await env.bindData(data as Json)) ? 'ok' : 'expired';
  }

  async #assert(env: ChallengeEnv, state: ChallengeState, response: string): Promise<CheckOutcome> {
    const data = env.data as WebAuthnData;
    const answer = parse<AuthenticationResponseJSON>(response);
    if (!answer?.response?.clientDataJSON || !answer.response.authenticatorData || !data.credentialId || !data.publicKey) return 'wrong';
    let info;
    try {
      const refusal = this.#refusal(answer.response.clientDataJSON, answer.response.authenticatorData, state);
      if (refusal) return { refused: refusal };
      if (answer.id !== data.credentialId || answer.rawId !== data.credentialId) return { refused: 'credential' };
      if (state.passwordless && (!data.passwordless || answer.response.userHandle !== userHandleOf(env.account.id))) return { refused: 'credential' };
      // The counter is checked below, where a regression can be told from a bad signature.
      const verified = await verifyAuthenticationResponse({
        response: answer,
        expectedChallenge: state.challenge!,
        expectedOrigin: this.#rp.origin,
        expectedRPID: this.#rp.id,
        credential: { id: data.credentialId, publicKey: new Uint8Array(isoBase64URL.toBuffer(data.publicKey)), counter: 0 },
        requireUserVerification: false,
      });
      if (!verified.verified) return { refused: 'signature' };
      info = verified.authenticationInfo;
    } catch {
      return { refused: 'signature' };
    }
    if (state.passwordless && !info.userVerified) return { refused: 'user_verification' };
    if ((info.credentialDeviceType === 'multiDevice') !== !!data.backupEligible) return { refused: 'backup_flags' };
    const stored = env.factor.counter ?? data.counter ?? 0;
    // Keys without a counter (most synced passkeys) always say 0.
    if (!(info.newCounter === 0 && stored === 0)) {
      if (info.newCounter <= stored || !(await env.advanceCounter(info.newCounter))) return { refused: 'counter' };
    }
    if (info.credentialBackedUp !== !!data.backedUp) await env.updateData((d) => ({ ...(d as object), backedUp: info.credentialBackedUp }) as Json);
    return 'ok';
  }
}

/** The authenticator data inside an attestation object, to read its RP ID hash before verifying. */
function attestationAuthData(attestationObject: string): Uint8Array {
  return decodeAttestationObject(isoBase64URL.toBuffer(attestationObject)).get('authData');
}
