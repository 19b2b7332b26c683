import { PosternError } from './errors.ts';

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const localPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Lower-cases and validates a domain name; throws `invalid_domain`. */
export function normalizeDomain(input: string): string {
  const domain = input.trim().toLowerCase();
  if (!domainPattern.test(domain)) throw new PosternError('invalid_domain', { domain: input });
  return domain;
}

/** Lower-cases and validates `local@domain`; usernames are compared case-insensitively. */
export function normalizeAddress(input: string): { address: string; local: string; domain: string } {
  const trimmed = input.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  const local = trimmed.slice(0, at);
  const domainPart = trimmed.slice(at + 1);
  if (at < 1 || local.length > 64 || !localPattern.test(local) || !domainPattern.test(domainPart)) {
    throw new PosternError('invalid_address', { address: input.slice(0, 320) });
  }
  return { address: `${local}@${domainPart}`, local, domain: domainPart };
}
