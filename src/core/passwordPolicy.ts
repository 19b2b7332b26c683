import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { PosternError } from './errors.ts';

/** New main passwords (web, CLI and admin alike; ASVS 2.1.1). */
export const minPasswordLength = 12;
export const maxPasswordLength = 256;
/** zxcvbn's 3: "safely unguessable", about 10¹⁰ guesses or more. */
export const minPasswordScore = 3;

// Built once on first use: the common dictionaries and breached-password list, offline.
let estimator: ZxcvbnFactory | undefined;
const strength = () => (estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/**
 * Throws PosternError when a new main password breaks the policy: at least 12 characters, not the
 * address, and strong enough by zxcvbn with its common-password (breached) lists and the address
 * as user input, so `alice2026alice` is refused for alice.
 */
export function checkPasswordPolicy(password: string, address: string): void {
  if ([...password].length < minPasswordLength) throw new PosternError('password_too_short', { min: minPasswordLength });
  if (password.length > maxPasswordLength) throw new PosternError('password_too_long', { max: maxPasswordLength });
  const lower = password.toLowerCase();
  const [local, domain = ''] = address.toLowerCase().split('@');
  if (lower === address.toLowerCase() || lower === local) throw new PosternError('password_equals_address');
  const result = strength().check(password.slice(0, 100), [local, domain, ...domain.split('.')].filter(Boolean));
  if (result.score < minPasswordScore) throw new PosternError('password_too_common');
}
