import { BlockList, isIP } from 'node:net';
import { PosternError } from './errors.ts';

const maxNetworks = 20;

/** `::ffff:192.0.2.1` is 192.0.2.1: dual-stack listeners report IPv4 clients so. */
export function plainIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

/** Checks and normalizes CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`; a bare address is one host). */
export function parseNetworks(input: string[]): string[] {
  const out: string[] = [];
  for (const raw of input.map((n) => n.trim()).filter(Boolean)) {
    const [address, prefixText, ...rest] = raw.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!family || rest.length > 0 || !(prefix >= 0 && prefix <= max)) throw new PosternError('invalid_app_password_networks', { network: raw.slice(0, 64) });
    out.push(`${address.toLowerCase()}/${prefix}`);
  }
  if (out.length > maxNetworks) throw new PosternError('too_many_app_password_networks', { max: maxNetworks });
  return [...new Set(out)];
}

/** Whether `ip` lies in one of `networks` (normalized by parseNetworks); every address does when there are none. */
export function inNetworks(networks: string[], ip: string): boolean {
  if (networks.length === 0) return true;
  const address = plainIp(ip);
  const family = isIP(address);
  if (!family) return false;
  const list = new BlockList();
  for (const n of networks) {
    const [net, prefix] = n.split('/');
    list.addSubnet(net, Number(prefix), isIP(net) === 6 ? 'ipv6' : 'ipv4');
  }
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** `ip`'s first IPv4 octets or IPv6 groups, as a CIDR block; anything else unchanged. */
function prefixOf(ip: string, octets: number, groups: number): string {
  const address = plainIp(ip);
  if (isIP(address) === 4) return octets === 4 ? address : `${[...address.split('.').slice(0, octets), ...Array(4 - octets).fill('0')].join('.')}/${octets * 8}`;
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const all = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${all.slice(0, groups).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/${groups * 16}`;
}

/** Where failed logins are counted from: an IPv4 address, or an IPv6 /64 (which one subscriber usually holds whole). */
export const sourceOf = (ip: string): string => prefixOf(ip, 4, 4);

/** The network a login came from, for "used from a new network": IPv4 /24, IPv6 /48. */
export const networkOf = (ip: string): string => prefixOf(ip, 3, 3);

/** A test of whether an address lies in one of `networks` (CIDR blocks or bare addresses); none match an empty list. */
export function networkMatcher(networks: string[]): (ip: string | undefined) => boolean {
  if (networks.length === 0) return () => false;
  const list = new BlockList();
  for (const n of networks) {
    const [net, prefix] = n.split('/');
    const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(net, prefix === undefined ? (family === 'ipv6' ? 128 : 32) : Number(prefix), family);
  }
  return (ip) => {
    const address = plainIp(ip ?? '');
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
