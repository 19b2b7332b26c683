import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import type { RequestInfo } from '../core/audit.ts';
import type { AccountRecord } from '../core/ports.ts';
import type { FactorView } from '../core/twoFactor.ts';
import { verificationLimits } from '../core/verifications.ts';
import { secureCookies } from './plugins/session.ts';

/** The pending login between the two steps (C1): sent only to the login API, gone after 10 minutes. */
export const pendingLoginCookie = 'postern_2fa';
/** 同设备登录免二次验证 (C7): read only by the login API. */
export const trustedDeviceCookie = 'postern_trust';
const loginPath = '/api/login';

export type SecondFactorReply = { status: 'second_factor'; methods: FactorView[]; default: string | null; expiresAt: string };

export function requestInfo(request: FastifyRequest): RequestInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 512) ?? null };
}

export function setLoginCookie(ctx: Context, reply: FastifyReply, name: string, value: string, maxAgeMs: number): void {
  reply.setCookie(name, value, { path: loginPath, httpOnly: true, sameSite: 'strict', secure: secureCookies(ctx.config), maxAge: Math.floor(maxAgeMs / 1000) });
}

export function clearLoginCookie(reply: FastifyReply, name: string): void {
  reply.clearCookie(name, { path: loginPath });
}

/**
 * After a right main password: the step-2 reply when 2FA is on and this browser is not trusted,
 * else null (sign in now; the login is audited here).
 */
export async function secondStepIfNeeded(ctx: Context, request: FastifyRequest, reply: FastifyReply, account: AccountRecord): Promise<SecondFactorReply | null> {
  const info = requestInfo(request);
  if (!(await ctx.twoFactor.isOn(account.id))) {
    await ctx.audit.record(account.id, 'login_succeeded', info, { secondFactor: false });
    return null;
  }
  if (await ctx.trustedDevices.isTrusted(account.id, request.cookies[trustedDeviceCookie])) {
    await ctx.audit.record(account.id, 'login_succeeded', info, { secondFactor: false, trustedDevice: true });
    return null;
  }
  const { token, view } = await ctx.twoFactor.beginLogin(account);
  setLoginCookie(ctx, reply, pendingLoginCookie, token, verificationLimits.ttlMs);
  return { status: 'second_factor', methods: view.methods, default: view.default, expiresAt: view.expiresAt };
}
