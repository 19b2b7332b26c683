import { randomBytes } from 'node:crypto';
import type { Audit, RequestInfo } from './audit.ts';
import type { Clock, TrustedDeviceRecord, TrustedDeviceRepo } from './ports.ts';
import { hashToken, newToken } from './verifications.ts';

/** Browsers that skip step 2 (SPEC C7, X8): a random token in a long-lived cookie, stored hashed. */
export class TrustedDevices {
  readonly #repo: TrustedDeviceRepo;
  readonly #audit: Audit;
  readonly #clock: Clock;
  readonly #days: number;

  constructor(repo: TrustedDeviceRepo, audit: Audit, clock: Clock, days: number) {
    this.#repo = repo;
    this.#audit = audit;
    this.#clock = clock;
    this.#days = days;
  }

  get lifetimeMs(): number {
    return this.#days * 24 * 60 * 60_000;
  }

  /** Trusts the browser that just passed step 2; the token goes into its cookie. */
  async trust(accountId: string, request: RequestInfo): Promise<{ token: string; expiresAt: Date }> {
    const now = this.#clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await this.#repo.insert({ id: randomBytes(12).toString('base64url'), accountId, tokenHash: hashToken(token), createdAt: now, expiresAt, lastUsedAt: now, ip: request.ip, userAgent: request.userAgent });
    await this.#audit.record(accountId, 'device_trusted', request);
    return { token, expiresAt };
  }

  /** Whether this cookie token trusts this account's logins now. */
  async isTrusted(accountId: string, token: string | undefined): Promise<boolean> {
    if (!token) return false;
    const device = await this.#repo.findByTokenHash(hashToken(token));
    const now = this.#clock.now();
    if (!device || device.accountId !== accountId || device.expiresAt <= now) return false;
    await this.#repo.touch(device.id, now);
    return true;
  }

  list(accountId: string): Promise<TrustedDeviceRecord[]> {
    return this.#repo.list(accountId, this.#clock.now());
  }

  async remove(accountId: string, id: string, request: RequestInfo): Promise<boolean> {
    const removed = await this.#repo.remove(accountId, id);
    if (removed) await this.#audit.record(accountId, 'device_trust_removed', request, { device: id });
    return removed;
  }

  /** "Remove trust from all"; also after any method change and a main password change. */
  async removeAll(accountId: string, request: RequestInfo, reason = 'user'): Promise<number> {
    const count = await this.#repo.removeAll(accountId);
    if (count > 0) await this.#audit.record(accountId, 'device_trust_removed_all', request, { count, reason });
    return count;
  }
}
