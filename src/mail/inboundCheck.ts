// An inbound message's checks (SPF, DKIM, DMARC, ARC) and the parse of the copy that is stored, in
// one worker job. The stored copy is the message under our header lines, which say what the checks
// found: the worker that found it builds the copy and parses it then, instead of the message going
// back to a worker for a second job once the main thread had built it (that job waited behind the
// other messages' checks for longer than the parse took).
import { addTraceHeaders, removeHeaders, type TraceInfo } from './headers.ts';
import { authenticateHere, type AuthenticateOptions, type MailAuthentication } from './mailAuth.ts';
import { knownParse, parseHere, type ParsedMessage } from './parsing.ts';
import { roomIn } from './sharedBytes.ts';
import { runInWorker } from './workerPool.ts';
import type { DnsResolve } from '../core/ports.ts';

export interface InboundCheck {
  auth: AuthenticateOptions;
  /** For the Received line. */
  trace: TraceInfo;
  /** The spam filter's header line, when a filter checked the message. */
  spamHeader?: string;
}

/** In a worker's job: how many bytes in front of the message are free for our header lines (sharedBytes.ts). */
export type InboundJob = InboundCheck & { room: number };

/**
 * The copy that is stored: without the header fields that claim our checks (put there by the
 * sender), under Return-Path, the checks' results, the spam filter's line and Received. The same
 * bytes whichever thread builds it.
 */
export function storedCopy(raw: Buffer, check: InboundCheck, authHeaders: string): Buffer {
  const authservId = check.auth.mta.toLowerCase();
  const cleaned = removeHeaders(raw, (name, value) =>
    name === 'return-path' || name === 'x-spam-status' || (name === 'authentication-results' && value.toLowerCase().split(/[\s;]/)[0] === authservId),
  );
  const top = [`Return-Path: <${check.auth.sender}>`, authHeaders.trimEnd(), ...(check.spamHeader ? [check.spamHeader] : [])].join('\r\n') + '\r\n';
  return addTraceHeaders(cleaned, check.trace, false, top);
}

/** The checks and the stored copy's parse, on the calling thread. */
export async function checkInboundHere(raw: Buffer, check: InboundCheck, resolver: DnsResolve): Promise<{ auth: MailAuthentication; parsed: ParsedMessage }> {
  const auth = await authenticateHere(raw, check.auth, resolver);
  return { auth, parsed: await parseHere(storedCopy(raw, check, auth.headers)) };
}

/** The checks in a worker, its DNS answered by `resolver` here; the copy to store comes back already parsed. */
export async function checkInbound(raw: Buffer, check: InboundCheck, resolver: DnsResolve): Promise<{ auth: MailAuthentication; message: Buffer }> {
  const job: InboundJob = { ...check, room: roomIn(raw) };
  const { auth, parsed } = await runInWorker({ kind: 'inbound', options: job }, raw, () => checkInboundHere(raw, check, resolver), resolver);
  const message = storedCopy(raw, check, auth.headers);
  knownParse(message, parsed);
  return { auth, message };
}
