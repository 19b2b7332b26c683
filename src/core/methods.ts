import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Lang } from '../i18n/index.ts';
import type { RequestInfo } from './audit.ts';
import { PosternError, type ErrorCode } from './errors.ts';
import type { AccountRecord, ChallengeRecord, FactorRecord, MethodKind, Purpose } from './ports.ts';

/*
 * Adding a second-step method (backup email, SMS, WeChat, WebAuthn):
 * 1. implement `Method` below and register it in createContext: `methods.register(new X(...))`;
 * 2. in the UI, give its card in ui/src/pages/settings/security/twoFactorMethods.ts a `BindDialog`.
 * The core does the rest for every method alike: pending binds, which methods may answer which
 * purpose, attempts, cooldowns, the hourly failure budget, replay-safe completion, login step 2,
 * unbind/change flows, trusted devices and audit events. Methods never count attempts themselves.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type { Json };

/**
 * How the user answers a challenge:
 * - `code`: `start` sends a code to a destination (backup email, SMS); resending to it for the same
 *   purpose waits 60 s;
 * - `app`: the user reads a code from an app (TOTP); `start` is optional;
 * - `approval`: `start` returns something to scan (WeChat QR); the phone approves out of band
 *   (`Verifications.approve`) and the page polls `check` with an empty response;
 * - `key`: `start` returns WebAuthn options; the browser's signed answer (JSON) is the response.
 */
export type MethodStyle = 'code' | 'app' | 'approval' | 'key';

/** What a method may use while starting or checking a challenge. */
export interface ChallengeEnv {
  account: AccountRecord;
  factor: FactorRecord;
  /** The factor's method data, unsealed. */
  data: Json;
  purpose: Purpose;
  now: Date;
  request: RequestInfo;
  /** The user's language, for what the method sends (mail, SMS). */
  lang: Lang;
  /** The challenge's id, also in `start` (e.g. to put in a QR payload that `Verifications.approve` later names). */
  challengeId: string;
  /** Present in `check` (the challenge being answered). */
  challenge?: ChallengeRecord;
  /** Keyed hashes of short codes, bound to this challenge: a stolen table reveals no codes. */
  codes: { hash(code: string): string; matches(code: string, hash: string): boolean };
  /** Raises the factor's replay counter atomically; false when `value` was already used. */
  advanceCounter(value: number): Promise<boolean>;
  /**
   * Rewrites the data of the bound factor with a conditional update: `change` gets the current data
   * and returns the new data, or undefined to leave it; retried if a racing update came first.
   * True when the new data was stored.
   */
  updateData(change: (data: Json) => Json | undefined): Promise<boolean>;
  /** The data of the account's other bound factors of this method (a key must not be bound twice). */
  boundData(): Promise<Json[]>;
  /** Replaces the data (and the label) of a factor still being bound (what only the approval tells, like the scanner's WeChat id); false once bound. */
  bindData(data: Json, label?: string): Promise<boolean>;
}

/**
 * Outcome of a check: `pending` (approval not given yet) costs no attempt; `denied` (refused on the
 * phone) ends the challenge; `refused`: a signed answer that must not be trusted (another origin or
 * credential, a counter going back…), audited as suspicious and noticed to the owner (SPEC X4).
 */
export type CheckOutcome = 'ok' | 'wrong' | 'reused' | 'expired' | 'pending' | 'denied' | { refused: string };

export interface PreparedFactor {
  /** Stored sealed; given back as `env.data`. */
  data: Json;
  /** Shown in lists; mask destinations. */
  label: string;
  /** Returned to the bind dialog (QR data URL, key text…). */
  display: Json;
}

export interface StartedChallenge {
  /** Stored with the challenge, given back as `JSON.parse(env.challenge.state)`. */
  state: Json;
  /** Returned to the page (masked destination, QR payload…). */
  display: Json;
  /** Lifetime of the challenge; default: that of the verification. */
  ttlMs?: number;
}

/** One second-step method. Adding a method = one implementation registered at start-up. */
export interface Method {
  readonly kind: MethodKind;
  readonly style: MethodStyle;
  /** An account may bind several factors of this kind (security keys), each named, unbound on its own. */
  readonly several?: boolean;
  /** The error for a response already used, when `code_reused` (wait for a new code) does not fit. */
  readonly reusedError?: ErrorCode;
  /** Responses not matching this are refused without costing an attempt. */
  readonly responsePattern: RegExp;
  /** Validates bind input (address, phone…) and returns the data to store; throws PosternError on bad input. */
  prepare(input: unknown, account: AccountRecord, now: Date): Promise<PreparedFactor>;
  /** Opens a challenge on a factor: sends a code, or returns a QR payload. */
  start(env: ChallengeEnv): Promise<StartedChallenge>;
  /** Checks a response to the challenge. Never throws for a wrong answer. */
  check(env: ChallengeEnv, response: string): Promise<CheckOutcome>;
  /**
   * `code` methods: where the factor's codes go (its data given). The core lets one code a minute go
   * to a destination for a purpose; without this, per factor.
   */
  sendsTo?(data: Json): string;
  /** A word about the factor shown beside its label (a key's kind: platform, cross-platform, synced). */
  hint?(data: Json): string;
}

export class MethodRegistry {
  readonly #methods = new Map<MethodKind, Method>();

  register(method: Method): this {
    if (this.#methods.has(method.kind)) throw new Error(`method ${method.kind} registered twice`);
    this.#methods.set(method.kind, method);
    return this;
  }

  has(kind: string): kind is MethodKind {
    return this.#methods.has(kind as MethodKind);
  }

  get(kind: MethodKind): Method {
    const method = this.#methods.get(kind);
    if (!method) throw new PosternError('method_unavailable', { method: kind });
    return method;
  }
}

const unambiguous = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random code: `letters` like `5WLC` (mail), `digits` like `482913` (SMS). */
export function randomCode(kind: 'letters' | 'digits', length: number): string {
  const alphabet = kind === 'digits' ? '0123456789' : unambiguous;
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function codeHasher(pepper: Buffer, challengeId: string): ChallengeEnv['codes'] {
  const hash = (code: string) => createHmac('sha256', pepper).update(`${challengeId}:${code.trim().toUpperCase()}`).digest('base64url');
  return {
    hash,
    matches(code, expected) {
      const a = Buffer.from(hash(code));
      const b = Buffer.from(expected);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
