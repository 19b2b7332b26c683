import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { PosternError } from '../../core/errors.ts';
import type { LoginDone } from '../../core/loginFlow.ts';
import type { AccountRecord } from '../../core/ports.ts';
import type { SessionRecord, Sessions } from '../../core/sessions.ts';

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
    /**
     * The signed-in user, for routes of the authenticated scope (plugins/authenticated.ts), which
     * answers 401 before their handlers run. Read anywhere else without a session it throws that 401.
     */
    readonly user: WebSession;
  }
}

/**
 * `__Host-` over https (production): the browser then accepts the cookie only from this host, with
 * Secure and Path=/, so no sibling subdomain can set or shadow it (ASVS 3.4.4).
 */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-postern_session' : 'postern_session');

/**
 * Cookies are Secure whenever users reach Postern over https. The web server itself speaks plain
 * HTTP (POSTERN_TLS_* are for the mail ports), so the public URL is what tells.
 */
export function secureCookies(config: Config): boolean {
  return config.publicUrl.startsWith('https:');
}

/** What the session cookie does beyond reading: sign in, rotate, sign out. */
export interface WebSessions {
  /** Hands the browser the session a finished login made (core/loginFlow.ts). */
  signIn(request: FastifyRequest, reply: FastifyReply, done: Pick<LoginDone, 'session' | 'account'>): void;
  /** A new id for the current session after a privilege change (password change, 2FA turned on). */
  rotate(request: FastifyRequest, reply: FastifyReply): Promise<WebSession>;
  /** Hands the browser the id core gave the session when it rotated it itself (a step-up). */
  rotated(request: FastifyRequest, reply: FastifyReply, rotated: { id: string; session: SessionRecord }): WebSession;
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function webSessions(sessions: Sessions, secure: boolean): WebSessions {
  const name = sessionCookieName(secure);
  const setCookie = (reply: FastifyReply, id: string, record: SessionRecord) =>
    reply.setCookie(name, id, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: sessions.cookieMaxAge(record) });
  return {
    signIn(request, reply, done) {
      setCookie(reply, done.session.id, done.session.record);
      request.session = { record: done.session.record, account: done.account };
    },
    async rotate(request, reply) {
      return this.rotated(request, reply, await sessions.rotate(request.user.record));
    },
    rotated(request, reply, { id, session }) {
      setCookie(reply, id, session);
      request.session = { ...request.user, record: session };
      return request.session;
    },
    async end(request, reply) {
      if (request.session) await sessions.end(request.session.record);
      request.session = null;
      reply.clearCookie(name, { path: '/' });
    },
  };
}

/** Reads the session cookie on every request: `request.session` is the signed-in user or null. */
async function sessionPlugin(app: FastifyInstance, { sessions, secure }: { sessions: Sessions; secure: boolean }) {
  const name = sessionCookieName(secure);
  await app.register(cookie);
  app.decorateRequest('session', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('user', {
    getter(this: FastifyRequest): WebSession {
      if (!this.session) throw new PosternError('unauthenticated');
      return this.session;
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    const id = request.cookies[name];
    if (!id) return;
    const found = await sessions.resolve(id);
    if (found.status === 'active') {
      if (!found.account.disabled) {
        request.session = { record: found.session, account: found.account };
        return;
      }
      await sessions.end(found.session);
    }
    // An id we do not know may be one this browser has already replaced: a request sent just before
    // a rotation (2FA turned on, a step-up) answers after it, and clearing the cookie then would
    // sign the user out. Only a session that timed out or was ended here has its cookie cleared.
    if (found.status === 'none') return;
    request.sessionExpired = true;
    reply.clearCookie(name, { path: '/' });
  });
}

export default fp(sessionPlugin, { name: 'session', dependencies: ['errors'] });
