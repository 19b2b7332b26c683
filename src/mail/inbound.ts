import { PosternError } from '../core/errors.ts';
import { inboundVerdict, type InboundFacts } from '../core/inboundPolicy.ts';
import type { DnsResolve, InboundEnvelope, SpamFilter } from '../core/ports.ts';
import { checkInbound } from './inboundCheck.ts';
import { domainOf } from './mailAuth.ts';
import { dispatch, resolveRecipient, type DispatchDeps } from './dispatch.ts';
import type { TraceInfo } from './headers.ts';

export interface InboundDeps extends DispatchDeps {
  resolver: DnsResolve;
  /** Our authserv-id in Authentication-Results: the mail host name. */
  hostname: string;
  spamFilter?: SpamFilter;
}

/**
 * Mail from outside (port 25): SPF, DKIM, DMARC and ARC, the spam filter when there is one, the
 * core's verdict, then delivery to INBOX or Junk with Return-Path, Authentication-Results and
 * Received on top. Refusals are PosternErrors the SMTP server turns into 550 or 451.
 */
export async function receiveInbound(deps: InboundDeps, envelope: InboundEnvelope, trace: TraceInfo, raw: Buffer): Promise<{ local: number; remote: number }> {
  // The filter's line goes in the copy the checks' worker builds and parses: it is asked first.
  const spam = await deps.spamFilter?.check(raw, envelope);
  const check = { auth: { ip: envelope.ip, helo: envelope.helo, sender: envelope.mailFrom, mta: deps.hostname }, trace, spamHeader: spam?.header };
  const { auth, message } = await checkInbound(raw, check, deps.resolver);
  const facts: InboundFacts = { ...auth, envelopeDomain: envelope.mailFrom ? domainOf(envelope.mailFrom) : undefined, spam: spam?.verdict ?? 'clean' };
  const ours = new Set<string>();
  for (const domain of new Set([...facts.fromDomains, ...(facts.envelopeDomain ? [facts.envelopeDomain] : [])])) {
    if (await deps.accounts.domainExists(domain)) ours.add(domain);
  }
  const verdict = inboundVerdict(facts, (domain) => ours.has(domain));
  if (verdict.action === 'reject') throw new PosternError(`inbound_${verdict.reason}`);
  if (verdict.action === 'defer') throw new PosternError(`inbound_${verdict.reason}_unavailable`);
  const recipients = await Promise.all(envelope.recipients.map((r) => resolveRecipient(deps, r)));
  return dispatch(deps, { envelopeFrom: envelope.mailFrom, recipients, message, into: verdict.action === 'junk' ? '\\Junk' : 'INBOX' });
}
