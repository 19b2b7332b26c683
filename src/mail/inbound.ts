import { PosternError } from '../core/errors.ts';
import { inboundVerdict, type InboundFacts } from '../core/inboundPolicy.ts';
import type { DnsResolve, InboundEnvelope, SpamFilter } from '../core/ports.ts';
import { authenticateMessage, domainOf } from './mailAuth.ts';
import { dispatch, resolveRecipient, type DispatchDeps } from './dispatch.ts';
import { addTraceHeaders, removeHeaders, type TraceInfo } from './headers.ts';

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
  const checking = authenticateMessage(raw, { ip: envelope.ip, helo: envelope.helo, sender: envelope.mailFrom, mta: deps.hostname }, deps.resolver);
  const [{ headers, ...auth }, spam] = await Promise.all([checking, deps.spamFilter?.check(raw, envelope)]);
  const facts: InboundFacts = { ...auth, envelopeDomain: envelope.mailFrom ? domainOf(envelope.mailFrom) : undefined, spam: spam?.verdict ?? 'clean' };
  const ours = new Set<string>();
  for (const domain of new Set([...facts.fromDomains, ...(facts.envelopeDomain ? [facts.envelopeDomain] : [])])) {
    if (await deps.accounts.domainExists(domain)) ours.add(domain);
  }
  const verdict = inboundVerdict(facts, (domain) => ours.has(domain));
  if (verdict.action === 'reject') throw new PosternError(`inbound_${verdict.reason}`);
  if (verdict.action === 'defer') throw new PosternError(`inbound_${verdict.reason}_unavailable`);
  // A header claiming our checks came from the sender, not from us.
  const authservId = deps.hostname.toLowerCase();
  const cleaned = removeHeaders(raw, (name, value) =>
    name === 'return-path' || name === 'x-spam-status' || (name === 'authentication-results' && value.toLowerCase().split(/[\s;]/)[0] === authservId),
  );
  const top = [`Return-Path: <${envelope.mailFrom}>`, headers.trimEnd(), ...(spam ? [spam.header] : [])].join('\r\n') + '\r\n';
  const message = addTraceHeaders(cleaned, trace, false, top);
  const recipients = await Promise.all(envelope.recipients.map((r) => resolveRecipient(deps, r)));
  return dispatch(deps, { envelopeFrom: envelope.mailFrom, recipients, message, into: verdict.action === 'junk' ? '\\Junk' : 'INBOX' });
}
