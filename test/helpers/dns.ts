import type { DnsResolve } from '../../src/core/ports.ts';

/** Per name: records by type (TXT as whole strings), or 'fail' for a name whose lookups time out. */
export type DnsRecords = Record<string, Partial<Record<string, (string | object)[]>> | 'fail'>;

const dnsError = (code: string, name: string) => Object.assign(new Error(`${code} ${name}`), { code });

/** DNS from fixed records, shaped like the system resolver: TXT strings split into 255-byte chunks. */
export function stubResolver(records: DnsRecords = {}): DnsResolve {
  return async (name, rrtype) => {
    const entry = records[name.toLowerCase().replace(/\.$/, '')];
    if (entry === 'fail') throw dnsError('ETIMEOUT', name);
    const found = entry?.[rrtype];
    if (!entry) throw dnsError('ENOTFOUND', name);
    if (!found?.length) throw dnsError('ENODATA', name);
    return rrtype === 'TXT' ? found.map((txt) => String(txt).match(/.{1,255}/g)!) : found;
  };
}
