import { BlockList, isIPv4, isIPv6 } from 'node:net';
import ip2region from 'ip2region';
import type { LookupPlace, PlaceKind } from '../core/requestPorts.ts';
import type { Lang } from '../i18n/index.ts';
import { t } from '../i18n/index.ts';
import { placeNamesEn } from './placeNamesEn.ts';


const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new BlockList();
for (const [net, bits] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['169.254.0.0', 16]] as const) {
  privateRanges.addSubnet(net, bits, 'ipv4');
}
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

type Searcher = InstanceType<typeof ip2region.default>;
let searcher: Searcher | undefined;

/** The databases (about 11 MB) are read into memory once, on the first lookup. */
function db(): Searcher {
  searcher ??= new ip2region.default();
  return searcher;
}

/** `::ffff:1.2.3.4` (dual-stack sockets) → `1.2.3.4`; drops an IPv6 zone id. */
function normalizeIp(ip: string): string {
  return ip.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
}

function classify(ip: string): PlaceKind {
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (!family) return 'unknown';
  if (loopback.check(ip, family)) return 'loopback';
  if (privateRanges.check(ip, family)) return 'private';
  return 'public';
}

const english = (zh: string): string => placeNamesEn[zh] ?? placeNamesEn[zh.replace(/(省|市|自治区|特别行政区)$/, '')] ?? zh;

/** Looks an IP address up offline and says where it is, in the reader's language. */
export const lookupPlace: LookupPlace = (rawIp, lang) => {
  const ip = normalizeIp(rawIp);
  const kind = classify(ip);
  const empty = { country: '', province: '', city: '' };
  if (kind === 'loopback') return { kind, ...empty, display: t(lang, 'geo.loopback') };
  if (kind === 'private') return { kind, ...empty, display: t(lang, 'geo.private') };
  const found = kind === 'public' ? db().search(ip) : null;
  if (!found || !(found.country || found.province || found.city)) return { kind: 'unknown', ...empty, display: t(lang, 'geo.unknown') };
  const { country, province, city } = found;
  const name = country === '中国' ? city || province || country : country;
  return { kind, country, province, city, display: lang === 'en' ? english(name) : name };
};

/** Just the display string, for lists of devices and sign-ins. */
export const describePlace = (ip: string, lang: Lang): string => lookupPlace(ip, lang).display;
