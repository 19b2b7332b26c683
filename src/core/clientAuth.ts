import type { AppPasswordRecord, AppPasswords, ClientProtocol } from './appPasswords.ts';
import type { Audit } from './audit.ts';
import { lockoutAddress, type Lockout } from './lockout.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import type { AccountRecord, AccountRepo, Clock, RateLimiter, TwoFactorState } from './ports.ts';
import type { Credential } from './revocation.ts';
import { bilingual } from '../i18n/index.ts';

export interface ClientLogin {
  protocol: ClientProtocol;
  username: string;
  password: string;
  remoteIp: string;
}

export type ClientAuthFailure = 'invalid' | 'app_password_required' | 'scope' | 'disabled' | 'throttled' | 'expired' | 'network' | 'two_factor_required';
/** A success names the credential used, so that the session can be ended when it is revoked (SPEC X9). */
export type ClientAuthResult = { ok: true; account: AccountRecord; credential: Credential } | { ok: false; reason: ClientAuthFailure };
export type AuthenticateClient = (login: ClientLogin) => Promise<ClientAuthResult>;

export interface ClientAuthDeps {
  accounts: AccountRepo;
  appPasswords: AppPasswords;
  twoFactor: TwoFactorState;
  /** The lockout policy of password guesses, shared by all nodes. */
  lockout: Lockout;
  /** Shared by all nodes; keeps refusals of one client password from flooding the audit log. */
  limiter: RateLimiter;
  audit: Audit;
  clock: Clock;
  /** Past its domain's grace without a method, an account's clients are refused until it binds one (SPEC X5). */
  policy?: { mustEnrol(account: AccountRecord): Promise<boolean> };
}

const refusalAuditWindowMs = 60 * 60_000;

/** Both languages at once: a protocol reply cannot know the user's. */
export const clientAuthMessage = (reason: ClientAuthFailure): string => bilingual(`clientAuth.${reason}`);

/**
 * The one check of every client login (IMAP, POP3, SMTP). With two-step verification off the main
 * password or an app password passes (E4); with it on only an app password scoped to the protocol
 * (E1, X3), unexpired and from its networks (X11). App passwords cost an HMAC and an index lookup;
 * only main passwords cost argon2. A valid app password is never refused because of failures
 * counted against the account or the address it comes from (X10): 16 random letters cannot be
 * guessed, so the lockout guards main passwords only.
 */
export function clientAuthenticator(deps: ClientAuthDeps): AuthenticateClient {
  const request = (ip: string) => ({ ip, userAgent: null });

  async function refuse(account: AccountRecord, record: AppPasswordRecord, reason: 'expired' | 'network', protocol: ClientProtocol, ip: string): Promise<ClientAuthResult> {
    const first = await deps.limiter.consume(`app_password_refused:${record.id}:${reason}`, 1, refusalAuditWindowMs, deps.clock.now());
    if (first.ok) await deps.audit.record(account.id, 'app_password_refused', request(ip), { id: record.id, name: record.name, reason: reason === 'expired' ? 'password_expired' : 'outside_networks', protocol });
    return { ok: false, reason };
  }

  return async ({ protocol, username, password, remoteIp }) => {
    const address = lockoutAddress(username);
    const account = await deps.accounts.findByAddress(address);
    const appPassword = await deps.appPasswords.find(password);
    if (account && appPassword?.accountId === account.id) {
      if (account.disabled) return { ok: false, reason: 'disabled' };
      if (await deps.policy?.mustEnrol(account)) return { ok: false, reason: 'two_factor_required' };
      const refusal = deps.appPasswords.refusal(appPassword, protocol, remoteIp);
      if (refusal === 'scope') return { ok: false, reason: 'scope' };
      if (refusal) return refuse(account, appPassword, refusal, protocol, remoteIp);
      const { newNetwork } = await deps.appPasswords.noteUse(appPassword, protocol, remoteIp);
      if (newNetwork) await deps.audit.record(account.id, 'app_password_new_network', request(remoteIp), { id: appPassword.id, name: appPassword.name, protocol });
      return { ok: true, account, credential: { kind: 'app_password', id: appPassword.id } };
    }

    const attempt = { channel: 'client' as const, ip: remoteIp, address };
    if ((await deps.lockout.gate(attempt)).retryAfterMs) return { ok: false, reason: 'throttled' };
    // Unknown accounts cost the same argon2 work as real ones: timing tells nothing.
    const check = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !check.ok) {
      await deps.lockout.failed(attempt, password);
      return { ok: false, reason: 'invalid' };
    }
    if (account.disabled) return { ok: false, reason: 'disabled' };
    if (await deps.twoFactor.isOn(account.id)) return { ok: false, reason: 'app_password_required' };
    if (await deps.policy?.mustEnrol(account)) return { ok: false, reason: 'two_factor_required' };
    return { ok: true, account, credential: { kind: 'password' } };
  };
}
