import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PosternError } from '../../core/errors.ts';
import { memo } from '../../memo.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: a non-GET route called by other programs, not by our pages (none need it yet). */
    csrf?: boolean;
  }
}

// Before sign-in the token is bound to this cookie instead of a session, so the login form is covered too.
const anonCookie = 'postern_anon';
const anonPattern = /^[A-Za-z0-9_-]{43}$/;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function binding(request: FastifyRequest): string | undefined {
  // The handle stays when the session id is rotated (step-up, 2FA on), so the page's token does too.
  if (request.session) return `session:${request.session.record.handle}`;
  const anon = request.cookies[anonCookie];
  return anon && anonPattern.test(anon) ? `anon:${anon}` : undefined;
}

// The same binding always gives the same token; a page asks for it on every load, so recent ones are kept.
const tokenMaker = (key: Buffer) => memo(10_000, (bound) => createHmac('sha256', key).update(bound).digest('base64url'));

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface Csrf {
  /** The token the page must send in `X-CSRF-Token`; sets the pre-login cookie when needed. */
  token(request: FastifyRequest, reply: FastifyReply): string;
  /** Throws unless the request carries our Origin (when any) and the token; routes with `csrf: false` that need it call this. */
  verify(request: FastifyRequest): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    csrf: Csrf;
  }
}

/** Every state-changing request needs the per-session token and, when the browser sends one, our Origin. */
async function csrfPlugin(app: FastifyInstance, { pepper, publicUrl, secure }: { pepper: Buffer; publicUrl: string; secure: boolean }) {
  const tokenFor = tokenMaker(createHmac('sha256', pepper).update('postern csrf').digest());
  const publicOrigin = new URL(publicUrl).origin;

  app.decorate('csrf', {
    token(request, reply) {
      let bound = binding(request);
      if (!bound) {
        const anon = randomBytes(32).toString('base64url');
        reply.setCookie(anonCookie, anon, { path: '/', httpOnly: true, sameSite: 'lax', secure });
        request.cookies[anonCookie] = anon;
        bound = `anon:${anon}`;
      }
      return tokenFor(bound);
    },
    verify,
  } satisfies Csrf);

  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method) || request.routeOptions.config.csrf === false) return;
    verify(request);
  });

  function verify(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin && origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`) {
      throw new PosternError('forbidden_origin');
    }
    const bound = binding(request);
    const given = request.headers['x-csrf-token'];
    if (bound && typeof given === 'string' && sameToken(given, tokenFor(bound))) return;
    throw request.sessionExpired ? new PosternError('unauthenticated') : new PosternError('csrf');
  }
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['session'] });
