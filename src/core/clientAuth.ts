import { normalizeAddress } from './addresses.ts';
import type { AppPasswords, ClientProtocol } from './appPasswords.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import type { AccountRecord, AccountRepo, Clock, RateLimiter, TwoFactorState } from './ports.ts';
import { t } from '../i18n/index.ts';

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
export const clientAuthMessage = (reason: ClientAuthFailure): string =>
  `${t('zh-CN', `clientAuth.${reason}`)} / ${t('en', `clientAuth.${reason}`)}`;

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
    // Every attempt takes a unit; a success gives them back, so only failures add up.
    const limits: [string, number][] = [[`client_auth_ip:${remoteIp}`, 30], [`client_auth_account:${address}`, 10]];
    for (const [key, limit] of limits) {
      if (!(await deps.limiter.consume(key, limit, failureWindowMs, deps.clock.now())).ok) return { ok: false, reason: 'throttled' };
    }
    const succeed = async (account: AccountRecord): Promise<ClientAuthResult> => {
      for (const [key] of limits) await deps.limiter.refund(key, failureWindowMs, deps.clock.now());
      return { ok: true, account };
    };
    const invalid: ClientAuthResult = { ok: false, reason: 'invalid' };

    const account = await deps.accounts.findByAddress(address);
    const appPassword = await deps.appPasswords.find(password);
    if (appPassword) {
      if (!account || appPassword.accountId !== account.id) return invalid;
      if (account.disabled) return { ok: false, reason: 'disabled' };
      if (!appPassword.scopes.includes(protocol)) return { ok: false, reason: 'scope' };
      deps.appPasswords.noteUse(appPassword.id, protocol, remoteIp);
      return succeed(account);
    }

    // Unknown accounts cost the same argon2 work as real ones: timing tells nothing.
    const check = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !check.ok) return invalid;
    if (account.disabled) return { ok: false, reason: 'disabled' };
    if (await deps.twoFactor.isOn(account.id)) return { ok: false, reason: 'app_password_required' };
    return succeed(account);
  };
}
