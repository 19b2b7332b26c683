import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRecord } from '../core/ports.ts';
import type { SessionRecord } from '../core/sessions.ts';
import type { AccountOverview } from '../core/twoFactorPolicy.ts';
import { describePlace } from '../providers/geoip.ts';
import type { SessionInfo } from './schemas.ts';

/** `overview`: the account's, when the request has read it already (a sign-in). */
export type SessionView = (request: FastifyRequest, reply: FastifyReply, overview?: AccountOverview) => Promise<SessionInfo>;

/** The session as the UI starts from it: the CSRF token and, when signed in, who, the previous sign-in and what the domain's 2FA policy asks. */
export function sessionView(deps: {
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
  stepUpUntil(session: SessionRecord): number | null;
  overview(account: AccountRecord): Promise<AccountOverview>;
}): SessionView {
  return async (request, reply, overview) => {
    const csrfToken = deps.csrfToken(request, reply);
    const session = request.session;
    if (!session) return { csrfToken, account: null };
    const { prevLoginAt, prevLoginIp } = session.record;
    const { twoFactorOn, standing, help } = overview ?? (await deps.overview(session.account));
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
