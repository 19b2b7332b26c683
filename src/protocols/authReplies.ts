// Client login outcomes shared by IMAP and POP3: bilingual reply text, and the failure delay.
import { t } from '../i18n/index.ts';

function bilingual(key: string): string {
  return `${t('zh-CN', key)} / ${t('en', key)}`;
}

/** The text of a refused client login: it never says whether the account exists (E1). */
export function authFailureText(reason: string): string {
  return bilingual(reason === 'app_password_required' ? 'mailClient.app_password_required' : 'mailClient.auth_failed');
}

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
