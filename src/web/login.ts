import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import type { AccountRecord } from '../core/ports.ts';
import { describePlace } from '../providers/geoip.ts';
import { setDeviceCookie } from './deviceCookie.ts';
import { startSession } from './plugins/session.ts';
import type { SecondFactorReply } from './secondFactor.ts';

/** What `GET /api/session` answers, and what every reply that changes the session carries. */
export interface SessionInfo {
  csrfToken: string;
  account: null | {
    address: string;
    displayName: string;
    twoFactorOn: boolean;
    /** Until when the session is in sudo mode (epoch ms), or null (SPEC X9). */
    stepUpUntil: number | null;
    lastLogin: { at: number; ip: string; place: string } | null;
  };
}

export async function sessionInfo(ctx: Context, app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<SessionInfo> {
  const csrfToken = app.csrf.token(request, reply);
  const session = request.session;
  if (!session) return { csrfToken, account: null };
  const { prevLoginAt, prevLoginIp } = session.record;
  return {
    csrfToken,
    account: {
      address: session.account.address,
      displayName: session.account.displayName,
      twoFactorOn: await ctx.twoFactor.isOn(session.account.id),
      stepUpUntil: ctx.stepUp.until(session.record),
      lastLogin: prevLoginAt !== null && prevLoginIp !== null ? { at: prevLoginAt, ip: prevLoginIp, place: describePlace(prevLoginIp, request.lang) } : null,
    },
  };
}

/** `POST /api/login` answers `ok` once the user is signed in, or `second_factor` when step 2 is due. */
export type LoginReply = { status: 'ok'; session: SessionInfo } | SecondFactorReply;

/** The last step of every sign-in: a new session (fresh id), the login recorded, the reply. */
export async function completeLogin(ctx: Context, app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, account: AccountRecord): Promise<{ status: 'ok'; session: SessionInfo }> {
  const previous = { at: account.lastLoginAt?.getTime() ?? null, ip: account.lastLoginIp };
  await ctx.accounts.recordLogin(account, request.ip);
  await startSession(ctx, request, reply, account, previous);
  setDeviceCookie(ctx, reply, account.address);
  return { status: 'ok', session: await sessionInfo(ctx, app, request, reply) };
}
