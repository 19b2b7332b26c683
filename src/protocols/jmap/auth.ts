// Who a JMAP request is: HTTP Basic with a client-specific password (scope `jmap`) through the one
// client login check (SPEC E1, X3), or the web session cookie with the CSRF header for the webmail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import { clientAuthMessage, type ClientAuthFailure } from '../../core/clientAuth.ts';
import type { AccountRecord } from '../../core/ports.ts';
import { t } from '../../i18n/index.ts';

export interface JmapUser {
  account: AccountRecord;
  /** Whether the credentials still hold (long-lived push connections ask every few seconds). */
  stillValid(): Promise<boolean>;
}

export type AuthOutcome = { ok: true; user: JmapUser } | { ok: false; reason: ClientAuthFailure | 'unauthenticated' | 'csrf' };

const safe = new Set(['GET', 'HEAD']);

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function authenticate(ctx: Context, app: FastifyInstance, request: FastifyRequest): Promise<AuthOutcome> {
  const header = request.headers.authorization;
  if (header) {
    const creds = basicCredentials(header);
    if (!creds) return { ok: false, reason: 'invalid' };
    const login = { protocol: 'jmap' as const, ...creds, remoteIp: request.ip };
    const result = await ctx.authenticateClient(login);
    if (!result.ok) return { ok: false, reason: result.reason };
    const stillValid = async () => (await ctx.authenticateClient(login)).ok;
    return { ok: true, user: { account: result.account, stillValid } };
  }
  const session = request.session;
  if (!session) return { ok: false, reason: 'unauthenticated' };
  // A WebSocket carries method calls (Email/set, EmailSubmission/set…) but no CSRF header: the
  // browser always sends its Origin there, which must be ours (cross-site WebSocket hijacking).
  if (request.headers.upgrade?.toLowerCase() === 'websocket') {
    const origin = request.headers.origin;
    if (!origin || (origin !== new URL(ctx.config.publicUrl).origin && origin !== `${request.protocol}://${request.host}`)) return { ok: false, reason: 'csrf' };
  } else if (!safe.has(request.method)) {
    try {
      app.csrf.verify(request);
    } catch {
      return { ok: false, reason: 'csrf' };
    }
  }
  if (await ctx.policy.mustEnrol(session.account)) return { ok: false, reason: 'two_factor_required' };
  const stillValid = () => ctx.sessions.stillActive(session.record);
  return { ok: true, user: { account: session.account, stillValid } };
}

/** 401 (with a Basic challenge for programs, never for the browser), 403 or 429, with the reason in both languages. */
export function refuse(reply: FastifyReply, request: FastifyRequest, reason: ClientAuthFailure | 'unauthenticated' | 'csrf') {
  const status = reason === 'throttled' ? 429 : reason === 'csrf' || reason === 'disabled' ? 403 : 401;
  if (status === 401 && !request.headers.cookie) reply.header('www-authenticate', 'Basic realm="Postern JMAP", charset="UTF-8"');
  const message = reason === 'unauthenticated' || reason === 'csrf' ? t(request.lang, `errors.${reason}`) : clientAuthMessage(reason);
  return reply.status(status).send({ error: { code: reason, message } });
}
