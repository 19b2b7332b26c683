import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PosternError } from '../../core/errors.ts';
import type { AccountRecord } from '../../core/ports.ts';
import type { SessionRecord } from '../../core/sessions.ts';

/** What the signed-in scope asks core about the user (SPEC X5). */
export interface ScopeRules {
  /** Past the domain's grace without a method: only binding a first one is open. */
  mustEnrol(account: AccountRecord): Promise<boolean>;
}

/** The routes open to a session whose account must bind its first method (`enrolment_required`). */
const enrolmentRoutes = new Set(['GET /api/2fa', 'POST /api/2fa/bind', 'POST /api/2fa/verifications/:id/start', 'POST /api/2fa/verifications/:id/check']);

const routeKey = (request: FastifyRequest) => `${request.method} ${request.routeOptions.url}`;

/**
 * The signed-in part of the API: an encapsulated scope whose every route answers 401 without a
 * session, so a route registered inside cannot forget the check. It runs at onRequest, after the
 * session and CSRF hooks and before the body is parsed or validated, so strangers learn nothing of
 * a route's input. Handlers read the user as `request.user`. An account held by its domain's 2FA
 * policy reaches only the routes that bind a first method.
 */
export function authenticated<I extends FastifyInstance>(routes: (scope: I) => Promise<void>, rules?: ScopeRules) {
  return async function authenticatedScope(scope: I): Promise<void> {
    scope.addHook('onRequest', async (request) => {
      const { account } = request.user;
      if (rules && !enrolmentRoutes.has(routeKey(request)) && (await rules.mustEnrol(account))) throw new PosternError('enrolment_required');
    });
    await routes(scope);
  };
}

/** What the admin scope asks core (SPEC X5): 2FA on, and sudo mode for every change. */
export interface AdminRules {
  twoFactorOn(accountId: string): Promise<boolean>;
  requireStepUp(session: SessionRecord): Promise<void>;
}

/**
 * The admin console's API, inside the signed-in scope: every route answers 403 `admin_required` to
 * an account without the admin flag, `admin_two_factor_required` to an admin without a method, and
 * every change (any method but GET) needs a fresh step-up, all before the body is read.
 */
export function adminOnly<I extends FastifyInstance>(routes: (scope: I) => Promise<void>, rules: AdminRules) {
  return async function adminScope(scope: I): Promise<void> {
    scope.addHook('onRequest', async (request) => {
      const { account, record } = request.user;
      if (!account.isAdmin) throw new PosternError('admin_required');
      if (!(await rules.twoFactorOn(account.id))) throw new PosternError('admin_two_factor_required');
      if (request.method !== 'GET') await rules.requireStepUp(record);
    });
    await routes(scope);
  };
}
