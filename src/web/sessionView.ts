import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRecord } from '../core/sessions.ts';
import { describePlace } from '../providers/geoip.ts';
import type { SessionInfo } from './schemas.ts';

export type SessionView = (request: FastifyRequest, reply: FastifyReply) => Promise<SessionInfo>;

/** The session as the UI starts from it: the CSRF token and, when signed in, who and the previous sign-in. */
export function sessionView(deps: {
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
  twoFactorOn(accountId: string): Promise<boolean>;
  stepUpUntil(session: SessionRecord): number | null;
}): SessionView {
  return async (request, reply) => {
    const csrfToken = deps.csrfToken(request, reply);
    const session = request.session;
    if (!session) return { csrfToken, account: null };
    const { prevLoginAt, prevLoginIp } = session.record;
    return {
      csrfToken,
      account: {
        address: session.account.address,
        displayName: session.account.displayName,
        twoFactorOn: await deps.twoFactorOn(session.account.id),
        stepUpUntil: deps.stepUpUntil(session.record),
        lastLogin: prevLoginAt !== null && prevLoginIp !== null ? { at: prevLoginAt, ip: prevLoginIp, place: describePlace(prevLoginIp, request.lang) } : null,
      },
    };
  };
}
