import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import type { AccountRecord } from '../../core/ports.ts';
import type { SessionRecord } from '../../core/sessions.ts';

/** The signed-in user of a request. */
export interface WebSession {
  record: SessionRecord;
  account: AccountRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: WebSession | null;
    /** The request carried a session cookie whose session timed out. */
    sessionExpired: boolean;
  }
}

export const sessionCookie = 'postern_session';

/**
 * Cookies are Secure whenever users reach Postern over https. The web server itself speaks plain
 * HTTP (POSTERN_TLS_* are for the mail ports), so the public URL is what tells.
 */
export function secureCookies(config: Config): boolean {
  return config.publicUrl.startsWith('https:');
}

function setSessionCookie(ctx: Context, reply: FastifyReply, id: string, record: SessionRecord): void {
  reply.setCookie(sessionCookie, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(ctx.config), maxAge: ctx.sessions.cookieMaxAge(record) });
}

/** The signed-in session, or a 401 that sends the UI to the login page. */
export function requireSession(request: FastifyRequest): WebSession {
  if (!request.session) throw new PosternError('unauthenticated');
  return request.session;
}

/** Signs `account` in with a fresh session id (any session the browser had is ended first). */
export async function startSession(ctx: Context, request: FastifyRequest, reply: FastifyReply, account: AccountRecord, previous: { at: number | null; ip: string | null }): Promise<WebSession> {
  if (request.session) await ctx.sessions.end(request.session.record);
  const { id, session } = await ctx.sessions.create(account.id, {
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
    prevLoginAt: previous.at,
    prevLoginIp: previous.ip,
  });
  setSessionCookie(ctx, reply, id, session);
  request.session = { record: session, account };
  return request.session;
}

/** A new id for the current session after a privilege change (password change, step-up). */
export async function rotateSession(ctx: Context, request: FastifyRequest, reply: FastifyReply): Promise<WebSession> {
  const current = requireSession(request);
  const { id, session } = await ctx.sessions.rotate(current.record);
  setSessionCookie(ctx, reply, id, session);
  request.session = { ...current, record: session };
  return request.session;
}

export async function endSession(ctx: Context, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.session) await ctx.sessions.end(request.session.record);
  request.session = null;
  reply.clearCookie(sessionCookie, { path: '/' });
}

/** Reads the session cookie on every request: `request.session` is the signed-in user or null. */
async function sessionPlugin(app: FastifyInstance, { ctx }: { ctx: Context }) {
  await app.register(cookie);
  app.decorateRequest('session', null);
  app.decorateRequest('sessionExpired', false);
  app.addHook('onRequest', async (request, reply) => {
    const id = request.cookies[sessionCookie];
    if (!id) return;
    const found = await ctx.sessions.resolve(id);
    if (found.status === 'active') {
      const account = await ctx.accounts.repo.findById(found.session.accountId);
      if (account && !account.disabled) {
        request.session = { record: found.session, account };
        return;
      }
      await ctx.sessions.end(found.session);
    }
    request.sessionExpired = found.status !== 'none';
    reply.clearCookie(sessionCookie, { path: '/' });
  });
}

export default fp(sessionPlugin, { name: 'session', dependencies: ['errors'] });
