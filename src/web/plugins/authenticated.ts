import type { FastifyInstance } from 'fastify';

/**
 * The signed-in part of the API: an encapsulated scope whose every route answers 401 without a
 * session, so a route registered inside cannot forget the check. It runs at onRequest, after the
 * session and CSRF hooks and before the body is parsed or validated, so strangers learn nothing of
 * a route's input. Handlers read the user as `request.user`. The admin console will add its flag here.
 */
export function authenticated<I extends FastifyInstance>(routes: (scope: I) => Promise<void>) {
  return async function authenticatedScope(scope: I): Promise<void> {
    scope.addHook('onRequest', async (request) => {
      void request.user;
    });
    await routes(scope);
  };
}
