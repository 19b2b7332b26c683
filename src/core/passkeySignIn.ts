import { randomBytes } from 'node:crypto';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { PosternError } from './errors.ts';
import type { Json } from './methods.ts';
import type { RequestInfo } from './audit.ts';
import type { AccountRecord, AccountRepo, Clock, FactorRecord, FactorRepo, RateLimiter, VerificationRecord } from './ports.ts';
import type { SecretBox } from './secretBox.ts';
import { hashToken, type Verifications } from './verifications.ts';
import { accountIdOfHandle, type WebAuthnData, type WebAuthnMethod } from './webauthn.ts';

/** Challenges of passwordless sign-ins, issued before anyone says who they are; each taken once. */
export interface PasskeyChallenges {
  issue(challengeHash: string, expiresAt: Date, now: Date): Promise<void>;
  /** True once for an issued challenge still valid; it is gone afterwards. */
  take(challengeHash: string, now: Date): Promise<boolean>;
}

export interface PasskeySignInDeps {
  challenges: PasskeyChallenges;
  accounts: AccountRepo;
  factors: FactorRepo;
  verifications: Verifications;
  method: WebAuthnMethod;
  box: SecretBox;
  limiter: RateLimiter;
  clock: Clock;
}

const challengeTtlMs = 5 * 60_000;
// Each options request stores a challenge for five minutes: an address asking without end would fill
// the table. A campus NAT is one address for thousands of users, so the cap is far above one person's.
const optionsPerIpAndMinute = 600;

function claimed(response: string): { id?: string; userHandle?: string; challenge?: string } {
  try {
    const answer = JSON.parse(response) as { id?: unknown; response?: { userHandle?: unknown; clientDataJSON?: unknown } };
    const clientData = typeof answer.response?.clientDataJSON === 'string' ? decodeClientDataJSON(answer.response.clientDataJSON) : undefined;
    return {
      id: typeof answer.id === 'string' ? answer.id : undefined,
      userHandle: typeof answer.response?.userHandle === 'string' ? answer.response.userHandle : undefined,
      challenge: clientData?.challenge,
    };
  } catch {
    return {};
  }
}

/**
 * Passwordless sign-in (SPEC X1): the browser offers any discoverable passkey of this site; its
 * user handle names the account, whose bound key then answers a login verification like at step 2,
 * with the same attempts, counter, audit and notices. Only keys bound with user verification as
 * discoverable credentials pass (`WebAuthnMethod` checks), so security keys stay second steps.
 */
export class PasskeySignIn {
  readonly #d: PasskeySignInDeps;

  constructor(deps: PasskeySignInDeps) {
    this.#d = deps;
  }

  async options(from: RequestInfo) {
    const now = this.#d.clock.now();
    const { ok, retryAfterMs } = await this.#d.limiter.consume(`passkey_options:${from.ip ?? ''}`, optionsPerIpAndMinute, 60_000, now);
    if (!ok) throw new PosternError('too_many_attempts', { minutes: Math.ceil(retryAfterMs / 60_000) });
    const challenge = randomBytes(32).toString('base64url');
    await this.#d.challenges.issue(hashToken(challenge), new Date(now.getTime() + challengeTtlMs), now);
    return this.#d.method.discoverableOptions(challenge);
  }

  /** The account an answer claims, and a login verification of it in which the answer is to be checked. */
  async prepare(response: string): Promise<{ account: AccountRecord; verification: VerificationRecord; factorId: string }> {
    const { id, userHandle, challenge } = claimed(response);
    if (!userHandle) throw new PosternError('passkey_unknown');
    const account = await this.#d.accounts.findById(accountIdOfHandle(userHandle));
    const keys = account && !account.disabled ? (await this.#d.factors.listConfirmed(account.id)).filter((f) => f.kind === 'webauthn') : [];
    if (!account || keys.length === 0) throw new PosternError('passkey_unknown');
    // A challenge we never issued, or one used already, is checked anyway: the method refuses it, audited.
    const issued = !!challenge && (await this.#d.challenges.take(hashToken(challenge), this.#d.clock.now()));
    const factor = keys.find((f) => this.#credentialOf(f) === id) ?? keys[0];
    const { verification } = await this.#d.verifications.create(account.id, 'login', keys.map((f) => f.id));
    await this.#d.verifications.open(verification, factor.id, { challenge: issued ? challenge! : null, passwordless: true } satisfies Json);
    return { account, verification, factorId: factor.id };
  }

  #credentialOf(factor: FactorRecord): string | undefined {
    return (JSON.parse(this.#d.box.open(factor.sealedData, factor.accountId)) as WebAuthnData).credentialId;
  }
}
