// SPF, DKIM, DMARC and ARC of an inbound message (mailauth), in a worker thread (inboundCheck.ts).
import type { DNSResolver } from 'mailauth';
import type { InboundFacts } from '../core/inboundPolicy.ts';
import type { DnsResolve } from '../core/ports.ts';

let loading: Promise<typeof import('mailauth')> | undefined;
/**
 * mailauth, loaded at first use: the main thread checks a message itself only while no worker has
 * loaded, and mailauth is some 9 MB of heap that every full collection there would mark again.
 */
export function loadMailauth(): Promise<typeof import('mailauth')> {
  loading ??= import('./mailauthSpeed.ts').then(() => import('mailauth'));
  return loading;
}

export interface AuthenticateOptions {
  ip: string;
  helo: string;
  /** MAIL FROM; '' for the null sender. */
  sender: string;
  /** Our authserv-id in Authentication-Results: the mail host name. */
  mta: string;
}

/** What the checks found, and the header lines that say so (Received-SPF, Authentication-Results, ARC). */
export type MailAuthentication = Pick<InboundFacts, 'spf' | 'dkimPass' | 'dkimTempError' | 'dmarc' | 'fromDomains'> & { headers: string };

export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The checks on the calling thread. */
export async function authenticateHere(raw: Buffer, options: AuthenticateOptions, resolver: DnsResolve): Promise<MailAuthentication> {
  const { authenticate } = await loadMailauth();
  const auth = await authenticate(raw, { ...options, resolver: resolver as DNSResolver, disableBimi: true });
  return {
    spf: auth.spf ? auth.spf.status.result : 'none',
    dkimPass: auth.dkim.results.filter((r) => r.status.result === 'pass' && r.signingDomain).map((r) => r.signingDomain!.toLowerCase()),
    dkimTempError: auth.dkim.results.some((r) => r.status.result === 'temperror'),
    dmarc: auth.dmarc ? { result: auth.dmarc.status.result, policy: auth.dmarc.policy } : undefined,
    fromDomains: auth.dkim.headerFrom.map(domainOf),
    headers: auth.headers,
  };
}
