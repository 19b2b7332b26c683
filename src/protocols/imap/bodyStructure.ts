// ENVELOPE and BODY/BODYSTRUCTURE response values from a parsed message structure.
import type { Envelope, EnvelopeAddress, MimePart, Params } from '../../mail/structure.ts';
import { Adjacent, type Value } from './response.ts';

function addressList(list: EnvelopeAddress[] | null): Value {
  return list ? list.map((a) => [a.name, a.route ?? null, a.mailbox, a.host]) : null;
}

export function envelopeValue(e: Envelope): Value {
  return [e.date, e.subject, addressList(e.from), addressList(e.sender), addressList(e.replyTo), addressList(e.to), addressList(e.cc), addressList(e.bcc), e.inReplyTo, e.messageId];
}

function params(p: Params): Value {
  return p.length ? p.flatMap(([k, v]) => [k, v]) : null;
}

function extension(part: MimePart): Value[] {
  return [part.disposition ? [part.disposition.type, params(part.disposition.params)] : null, part.language, part.location];
}

/** BODYSTRUCTURE when `extended`, else the non-extensible BODY form. */
export function bodyStructureValue(part: MimePart, extended: boolean): Value {
  if (part.type === 'multipart' && part.parts.length) {
    const out: Value[] = [new Adjacent(part.parts.map((p) => bodyStructureValue(p, extended))), part.subtype];
    if (extended) out.push(params(part.params), ...extension(part));
    return out;
  }
  const isMultipart = part.type === 'multipart';
  const out: Value[] = [
    isMultipart ? 'text' : part.type,
    isMultipart ? 'plain' : part.subtype,
    params(part.params),
    part.id,
    part.description,
    part.encoding.toUpperCase(),
    part.bodyEnd - part.bodyStart,
  ];
  if (part.message) out.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.body, extended), part.lines);
  else if (part.type === 'text' || isMultipart) out.push(part.lines);
  if (extended) out.push(part.md5, ...extension(part));
  return out;
}
