import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a browser stays familiar after its last full sign-in. */
export const deviceCookieDays = 365;

/**
 * OWASP "device cookies": after a full sign-in the browser gets a token naming the address and a
 * random id, signed with the pepper. It grants nothing; it only makes that browser a familiar
 * source for the lockout (core/lockout.ts), judged by its own failures (counted by the id).
 */
export class DeviceCookies {
  readonly #pepper: Buffer;

  constructor(pepper: Buffer) {
    this.#pepper = pepper;
  }

  #sign(address: string, id: string): string {
    return createHmac('sha256', this.#pepper).update(`device-cookie\0${address}\0${id}`).digest('base64url');
  }

  issue(address: string): string {
    const id = randomBytes(16).toString('base64url');
    return `${id}.${this.#sign(address, id)}`;
  }

  /** The cookie's id when it was issued for `address`, else undefined. */
  verify(token: string | undefined, address: string): string | undefined {
    const m = token ? /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return undefined;
    const expected = Buffer.from(this.#sign(address, m[1]));
    const given = Buffer.from(m[2]);
    return given.length === expected.length && timingSafeEqual(given, expected) ? m[1] : undefined;
  }
}
