import { Resolver } from 'node:dns/promises';
import type { DnsResolve } from '../core/ports.ts';

/**
 * The system's (or the configured) DNS servers. Each lookup ends within `timeoutMs` with an answer
 * or an ETIMEOUT error, which mail authentication reports as temperror (and SMTP as 451).
 */
export function systemResolver(options: { servers?: string[]; timeoutMs: number }): DnsResolve {
  const resolver = new Resolver({ timeout: Math.ceil(options.timeoutMs / 2), tries: 2 });
  if (options.servers) resolver.setServers(options.servers);
  return (name, rrtype) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup of ${name} timed out`), { code: 'ETIMEOUT' })), options.timeoutMs);
    });
    return Promise.race([resolver.resolve(name, rrtype) as Promise<unknown[]>, timeout]).finally(() => clearTimeout(timer));
  };
}
