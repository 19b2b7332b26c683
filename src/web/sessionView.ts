import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRecord } from '../core/ports.ts';
import type { SessionRecord } from '../core/sessions.ts';
import type { PolicyStanding } from '../core/twoFactorPolicy.ts';
import { describePlace } from '../providers/geoip.ts';
import type { SessionInfo } from './schemas.ts';

export type SessionView = (request: FastifyRequest, reply: FastifyReply) => Promise<SessionInfo>;

/** The session as the UI starts from it: the CSRF token and, when signed in, who, the previous sign-in and what the domain's 2FA policy asks. */
export function sessionView(deps: {
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
  stepUpUntil(session: SessionRecord): number | null;
  overview(account: AccountRecord): Promise<{ twoFactorOn: boolean; standing: PolicyStanding; help: { phone: string; email: string } | null }>;
}): SessionView {
  return async (request, reply) => {
    const csrfToken = deps.csrfToken(request, reply);
    const session = request.session;
    if (!session) return { csrfToken, account: null };
    const { prevLoginAt, prevLoginIp } = session.record;
    const { twoFactorOn, standing, help } = await deps.overview(session.account);
    return {
      csrfToken,
      account: {
        address: session.account.address,
        displayName: session.account.displayName,
        twoFactorOn,
        stepUpUntil: deps.stepUpUntil(session.record),
        lastLogin: prevLoginAt !== null && prevLoginIp !== null ? { at: prevLoginAt, ip: prevLoginIp, place: describePlace(prevLoginIp, request.lang) } : null,
        isAdmin: session.account.isAdmin,
        help,
        twoFactorRequired:
          standing.state === 'grace' ? { state: 'grace', daysLeft: standing.daysLeft, endsAt: standing.endsAt.getTime() } : standing.state === 'enforced' ? { state: 'enforced' } : null,
      },
    };
  };
}
