import { normalizeAddress } from './addresses.ts';
import type { AppPasswords, ClientProtocol } from './appPasswords.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { failureLimits } from './failureLimits.ts';
import type { AccountRecord, AccountRepo, Clock, RateLimiter, TwoFactorState } from './ports.ts';
import { bilingual } from '../i18n/index.ts';

export interface ClientLogin {
  protocol: ClientProtocol;
  username: string;
  password: string;
  remoteIp: string;
}

export type ClientAuthFailure = 'invalid' | 'app_password_required' | 'scope' | 'disabled' | 'throttled';
export type ClientAuthResult = { ok: true; account: AccountRecord } | { ok: false; reason: ClientAuthFailure };
export type AuthenticateClient = (login: ClientLogin) => Promise<ClientAuthResult>;

const failureWindowMs = 15 * 60_000;

export interface ClientAuthDeps {
  accounts: AccountRepo;
  appPasswords: AppPasswords;
  twoFactor: TwoFactorState;
  /** Shared by all nodes; failures are counted per IP and per account. */
  limiter: RateLimiter;
  clock: Clock;
}

/** Both languages at once: a protocol reply cannot know the user's. */
export const clientAuthMessage = (reason: ClientAuthFailure): string => bilingual(`clientAuth.${reason}`);

/**
 * The one check of every client login (IMAP, POP3, SMTP). With two-step verification off the main
 * password or an app password passes (E4); with it on only an app password scoped to the protocol
 * (E1, X3). App passwords cost an HMAC and an index lookup; only main passwords cost argon2.
 */
export function clientAuthenticator(deps: ClientAuthDeps): AuthenticateClient {
  return async ({ protocol, username, password, remoteIp }) => {
    let address: string;
    try {
      address = normalizeAddress(username).address;
    } catch {
      address = username.trim().toLowerCase().slice(0, 320);
    }
    const gate = failureLimits(deps.limiter, deps.clock, failureWindowMs);
    const limits: [string, number][] = [[`client_auth_ip:${remoteIp}`, 30], [`client_auth_account:${address}`, 10]];
    if (await gate.retryAfterMs(limits)) return { ok: false, reason: 'throttled' };
    const fail = async (reason: ClientAuthFailure): Promise<ClientAuthResult> => {
      await gate.failed(limits);
      return { ok: false, reason };
    };

    const account = await deps.accounts.findByAddress(address);
    const appPassword = await deps.appPasswords.find(password);
    if (appPassword) {
      if (!account || appPassword.accountId !== account.id) return fail('invalid');
      if (account.disabled) return { ok: false, reason: 'disabled' };
      if (!appPassword.scopes.includes(protocol)) return { ok: false, reason: 'scope' };
      deps.appPasswords.noteUse(appPassword.id, protocol, remoteIp);
      return { ok: true, account };
    }

    // Unknown accounts cost the same argon2 work as real ones: timing tells nothing.
    const check = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !check.ok) return fail('invalid');
    if (account.disabled) return { ok: false, reason: 'disabled' };
    if (await deps.twoFactor.isOn(account.id)) return { ok: false, reason: 'app_password_required' };
    return { ok: true, account };
  };
}
