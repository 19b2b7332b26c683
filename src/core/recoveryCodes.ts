import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomCode, type ChallengeEnv, type CheckOutcome, type Json, type Method, type PreparedFactor } from './methods.ts';

/** SPEC X2: how many codes a set holds, and from how many left the user is told to make new ones. */
export const recoveryCodeCount = 10;
export const recoveryCodesLow = 2;

type StoredCode = { hash: string; used: boolean };
const codesOf = (data: Json): StoredCode[] => (data as { codes: StoredCode[] }).codes;

const normalize = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();
const shown = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** Codes not used yet, read from a recovery factor's unsealed data. */
export function recoveryCodesLeft(data: Json): number {
  return codesOf(data).filter((c) => !c.used).length;
}

/**
 * One-time recovery codes (SPEC X2), for when every device is lost. Only keyed hashes are stored,
 * each with a used flag; using a code rewrites the factor's data with a conditional update, so of
 * two racing uses of one code exactly one wins. Not a method of its own for "2FA on" (TwoFactor).
 */
export class RecoveryCodesMethod implements Method {
  readonly kind = 'recovery' as const;
  readonly style = 'app' as const;
  readonly reusedError = 'recovery_code_used' as const;
  readonly responsePattern = /^[A-Za-z0-9]{5}[\s-]?[A-Za-z0-9]{5}$/;
  readonly #pepper: Buffer;

  constructor(pepper: Buffer) {
    this.#pepper = pepper;
  }

  #hash(code: string): string {
    return createHmac('sha256', this.#pepper).update(`recovery:${normalize(code)}`).digest('base64url');
  }

  async prepare(): Promise<PreparedFactor> {
    const codes = Array.from({ length: recoveryCodeCount }, () => randomCode('letters', 10));
    const data = { codes: codes.map((c) => ({ hash: this.#hash(c), used: false })) };
    return { data, label: '', display: { codes: codes.map(shown) } };
  }

  async start() {
    return { state: null, display: null };
  }

  async check(env: ChallengeEnv, response: string): Promise<CheckOutcome> {
    const given = Buffer.from(this.#hash(response));
    let outcome = 'wrong' as CheckOutcome;
    const saved = await env.updateData((data) => {
      const codes = codesOf(data);
      const index = codes.findIndex((c) => c.hash.length === given.length && timingSafeEqual(Buffer.from(c.hash), given));
      outcome = index < 0 ? 'wrong' : codes[index].used ? 'reused' : 'ok';
      if (outcome !== 'ok') return undefined;
      return { codes: codes.map((c, i) => (i === index ? { ...c, used: true } : c)) };
    });
    return outcome === 'ok' && !saved ? 'reused' : outcome;
  }
}
