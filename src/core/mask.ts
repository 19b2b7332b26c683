import { isIPv4, isIPv6 } from 'node:net';
import { splitPhone } from './phone.ts';

const stars = '****';

/**
 * `test001@example.edu` → `test****@example.edu`: at most the first 4 characters of the local part
 * stay, and at least 3 are always hidden (a short local part keeps only its first character).
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = Array.from(at < 0 ? address : address.slice(0, at));
  const domain = at < 0 ? '' : address.slice(at);
  const keep = Math.min(4, Math.max(1, local.length - 3));
  return `${local.slice(0, keep).join('')}${stars}${domain}`;
}

/**
 * `202.118.1.123` → `202.xxx.x.xxx`: the first part stays, every later digit becomes `x`, so the
 * shape is kept as the guide shows it. IPv6 keeps its first group the same way.
 */
export function maskIp(ip: string): string {
  const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (isIPv4(address)) {
    const [first, ...rest] = address.split('.');
    return [first, ...rest.map((part) => part.replace(/\d/g, 'x'))].join('.');
  }
  if (isIPv6(address)) {
    const firstColon = address.indexOf(':');
    if (firstColon === 0) return address.replace(/[0-9a-f]/gi, 'x');
    return address.slice(0, firstColon) + address.slice(firstColon).replace(/[0-9a-f]/gi, 'x');
  }
  return 'x';
}

/** `+8613812345678` → `+86 138****5678`; other countries keep the first 2 and last 4 digits. */
export function maskPhone(e164: string): string {
  const { countryCode, national } = splitPhone(e164);
  const head = countryCode === '86' ? national.slice(0, 3) : national.slice(0, 2);
  const tail = national.length > head.length + 4 ? national.slice(-4) : '';
  return `+${countryCode} ${head}${stars}${tail}`;
}

/**
 * A WeChat openid `oGZUI0egBJY1zhBYw2KhdUfwVJJE` → `oGZU****VJJE`: like a masked email, at most the
 * first 4 characters stay and at least 3 are hidden; a long id keeps its last 4 as well.
 */
export function maskId(id: string): string {
  const chars = Array.from(id);
  const keep = Math.min(4, Math.max(1, chars.length - 3));
  const tail = chars.length >= 12 ? chars.slice(-4).join('') : '';
  return `${chars.slice(0, keep).join('')}${stars}${tail}`;
}
