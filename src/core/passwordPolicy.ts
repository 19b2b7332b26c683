import { PosternError } from './errors.ts';
import { minPasswordScore, passwordScore } from './passwordStrength.ts';

/** New main passwords (web, CLI and admin alike; ASVS 2.1.1). */
export const minPasswordLength = 12;
export const maxPasswordLength = 256;

/**
 * Throws PosternError when a new main password breaks the policy: at least 12 characters, not the
 * address, and strong enough by zxcvbn with its common-password (breached) lists and the address
 * as user input, so `alicealice2026` is refused for alice.
 */
export function checkPasswordPolicy(password: string, address: string): void {
  if ([...password].length < minPasswordLength) throw new PosternError('password_too_short', { min: minPasswordLength });
  if (password.length > maxPasswordLength) throw new PosternError('password_too_long', { max: maxPasswordLength });
  const lower = password.toLowerCase();
  const local = address.toLowerCase().split('@')[0];
  if (lower === address.toLowerCase() || lower === local) throw new PosternError('password_equals_address');
  if (passwordScore(password, address) < minPasswordScore) throw new PosternError('password_too_common');
}
