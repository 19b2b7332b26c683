import { hash, randomBytes } from 'node:crypto';
import type { AppPasswords, ClientProtocol } from './appPasswords.ts';
import type { AuthenticateClient, ClientAuthResult } from './clientAuth.ts';
import type { Clock } from './ports.ts';
import type { Revocations } from './revocation.ts';

export interface RememberedLoginsDeps {
  appPasswords: AppPasswords;
  revocations: Revocations;
  clock: Clock;
  /** The protocols that authenticate every request (JMAP's HTTP Basic), not once per connection. */
  protocols: readonly ClientProtocol[];
  ttlMs?: number;
  size?: number;
}

/** Well inside the 5 s in which SPEC X9 ends what a revoked credential opened. */
export const rememberedLoginTtlMs = 3000;

/**
 * A client-password login repeated within a few seconds costs an HMAC instead of the account,
 * password, 2FA and policy reads. What keeps that safe:
 * - only successes with a client password are kept: failures (lockout, refusal audit) and main
 *   passwords (argon2, 2FA) go the whole way every time;
 * - the key is a SHA-256, salted with a secret of this process, of protocol, username, password and address:
 *   no password is kept, and a new network goes the whole way (its audit event);
 * - any revocation of the account (client password deleted, password changed, 2FA reset, account
 *   disabled, signed out everywhere) forgets all its logins: on this node as it commits, before
 *   the change is answered; on the others when the bus brings it (or the revocation log, within
 *   2 s, while Redis is away). A login checked while a revocation went by is not kept;
 * - the password's expiry is checked at each use; what changes without a revocation (a domain
 *   policy's grace ending, an account removed by the CLI of another process) counts within `ttlMs`.
 */
export function rememberedClientLogins(authenticate: AuthenticateClient, deps: RememberedLoginsDeps): AuthenticateClient {
  const ttlMs = deps.ttlMs ?? rememberedLoginTtlMs;
  const size = deps.size ?? 10_000;
  const key = randomBytes(32).toString('base64');
  const kept = new Map<string, { until: number; accountId: string; result: ClientAuthResult & { ok: true }; expiresAt: Date | null }>();
  let generation = 0;
  const forget = ({ accountId }: { accountId: string }) => {
    generation++;
    for (const [k, v] of kept) if (v.accountId === accountId) kept.delete(k);
  };
  deps.revocations.onPublish(forget);
  deps.revocations.subscribe(forget);

  return async (login) => {
    if (!deps.protocols.includes(login.protocol)) return authenticate(login);
    const id = hash('sha256', `${key}\0${login.protocol}\0${login.username}\0${login.password}\0${login.remoteIp}`, 'base64');
    const now = deps.clock.now();
    const hit = kept.get(id);
    if (hit && hit.until > now.getTime() && (!hit.expiresAt || hit.expiresAt > now) && hit.result.credential.kind === 'app_password') {
      deps.appPasswords.noteRepeatUse(hit.result.credential.id, login.protocol, login.remoteIp);
      return hit.result;
    }
    kept.delete(id);
    const started = generation;
    const result = await authenticate(login);
    if (!result.ok || result.credential.kind !== 'app_password') return result;
    const record = await deps.appPasswords.repo.findById(result.credential.id);
    if (record && started === generation) {
      if (kept.size >= size) kept.delete(kept.keys().next().value!);
      kept.set(id, { until: now.getTime() + ttlMs, accountId: result.account.id, result, expiresAt: record.expiresAt });
    }
    return result;
  };
}
