import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { deviceCookieDays } from '../core/deviceCookies.ts';
import { lockoutAddress, type Attempt } from '../core/lockout.ts';
import { secureCookies } from './plugins/session.ts';

/** OWASP device cookie: makes this browser a familiar source for the lockout; read by the login API only. */
export const deviceCookie = 'postern_device';

/** A password attempt of this browser, familiar when it carries a device cookie issued for `address`. */
export function webAttempt(ctx: Context, request: FastifyRequest, address: string): Attempt {
  const normalized = lockoutAddress(address);
  return { channel: 'web', ip: request.ip, address: normalized, device: ctx.deviceCookies.verify(request.cookies[deviceCookie], normalized) };
}

/** After a full sign-in (password and, when on, the second step). */
export function setDeviceCookie(ctx: Context, reply: FastifyReply, address: string): void {
  reply.setCookie(deviceCookie, ctx.deviceCookies.issue(address), { path: '/api/', httpOnly: true, sameSite: 'strict', secure: secureCookies(ctx.config), maxAge: deviceCookieDays * 86_400 });
}
