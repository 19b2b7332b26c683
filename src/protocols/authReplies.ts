// Client login replies shared by IMAP, POP3 and SMTP: the failure text and delay, SASL PLAIN, the login log line.
import type { Logger } from 'pino';
import { clientAuthMessage, type ClientAuthFailure } from '../core/clientAuth.ts';
import { t } from '../i18n/index.ts';

const shown = new Set<string>(['app_password_required', 'scope', 'disabled', 'throttled', 'expired', 'network']);

/**
 * The text of a refused client login (E1 names the client-specific password). Every other
 * reason is only reached with a right password or counts regardless of the account, so
 * none of them tells whether an account exists. Protocol replies are ASCII (what imaplib, Outlook
 * and every SMTP client show as text) unless the client said it shows UTF-8: then Chinese too.
 */
export function authFailureText(reason: string, utf8 = false): string {
  const known = (shown.has(reason) ? reason : 'invalid') as ClientAuthFailure;
  return utf8 ? clientAuthMessage(known) : t('en', `clientAuth.${known}`);
}

/** A login refused by the per-account-and-address connection cap (maxConnectionsPerUserIp). */
export const tooManyForAccount = t('en', 'connectionLimits.tooManyForAccount');

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Decodes a SASL PLAIN response; null when malformed or when it asks to act as another user. */
export function decodeSaslPlain(base64: string): { username: string; password: string } | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return null;
  const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return null;
  const [authzid, username, password] = parts;
  if (!username || (authzid && authzid !== username)) return null;
  return { username, password };
}

/**
 * One login attempt in the connection's log (which carries protocol, connection id and IP): the
 * user name as typed, cut to an address's length, and `ok` or the reason. Never the password.
 */
export function logLogin(log: Logger, username: string, result: { ok: true } | { ok: false; reason: string }): void {
  log.info({ user: username.slice(0, 320), result: result.ok ? 'ok' : result.reason }, 'login');
}
