import { BlockList, isIPv4, isIPv6 } from 'node:net';
import ip2region from 'ip2region';
import { t, type Lang } from '../i18n/index.ts';

const local = new BlockList();
local.addSubnet('127.0.0.0', 8, 'ipv4');
local.addAddress('::1', 'ipv6');
const privateRanges = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['169.254.0.0', 16]] as const) privateRanges.addSubnet(net, bits, 'ipv4');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

let searcher: InstanceType<typeof ip2region.default> | undefined;

/** An approximate place for an IP address (city, else province or country), resolved offline. */
export function describePlace(rawIp: string, lang: Lang): string {
  const ip = rawIp.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (!family) return t(lang, 'geo.unknown');
  if (local.check(ip, family)) return t(lang, 'geo.loopback');
  if (privateRanges.check(ip, family)) return t(lang, 'geo.private');
  searcher ??= new ip2region.default();
  const found = searcher.search(ip);
  if (!found) return t(lang, 'geo.unknown');
  return (found.country === '中国' ? found.city || found.province : found.country) || t(lang, 'geo.unknown');
}
