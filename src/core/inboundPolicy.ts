import type { SpamFilter } from './ports.ts';

/** What the authentication checks of one inbound message found (SPF, DKIM, DMARC; and the spam filter, when there is one). */
export interface InboundFacts {
  spf: string;
  /** The MAIL FROM domain SPF checked; undefined for the null sender. */
  envelopeDomain: string | undefined;
  /** Signing domains of the DKIM signatures that verified. */
  dkimPass: string[];
  dkimTempError: boolean;
  /** Undefined when the author domain publishes no DMARC record (or there is no single author domain). */
  dmarc: { result: string; policy: string } | undefined;
  /** Domains of the `From:` addresses. */
  fromDomains: string[];
  /** The spam filter's verdict; 'clean' too when there is no filter. */
  spam: Awaited<ReturnType<SpamFilter['check']>>['verdict'];
}

export type InboundVerdict =
  | { action: 'deliver' | 'junk' }
  | { action: 'reject'; reason: 'own_domain_unauthenticated' | 'dmarc_reject' | 'spam' }
  | { action: 'defer'; reason: 'dns' | 'spam_filter' };

const aligned = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

/**
 * SPEC M6, mail from outside (port 25). A lookup that failed defers (451) rather than passing.
 * Mail claiming one of our own domains in `From:` or MAIL FROM must prove it with an aligned DKIM
 * signature or SPF pass: our users' mail arrives by submission, so anything else is a forgery
 * (a "postmaster" phishing mail). Then the sender domain's DMARC policy, then the spam filter.
 */
export function inboundVerdict(facts: InboundFacts, isOurs: (domain: string) => boolean): InboundVerdict {
  if (facts.spf === 'temperror' || facts.dkimTempError || facts.dmarc?.result === 'temperror') return { action: 'defer', reason: 'dns' };
  const authenticated = [...facts.dkimPass, ...(facts.spf === 'pass' && facts.envelopeDomain ? [facts.envelopeDomain] : [])];
  const claimed = [...facts.fromDomains, ...(facts.envelopeDomain ? [facts.envelopeDomain] : [])].filter(isOurs);
  if (claimed.some((domain) => !authenticated.some((a) => aligned(a, domain)))) return { action: 'reject', reason: 'own_domain_unauthenticated' };
  if (facts.dmarc?.result === 'fail' && facts.dmarc.policy === 'reject') return { action: 'reject', reason: 'dmarc_reject' };
  if (facts.spam === 'reject') return { action: 'reject', reason: 'spam' };
  if (facts.spam === 'defer') return { action: 'defer', reason: 'spam_filter' };
  if (facts.dmarc?.result === 'fail' && facts.dmarc.policy === 'quarantine') return { action: 'junk' };
  return { action: facts.spam === 'spam' ? 'junk' : 'deliver' };
}
