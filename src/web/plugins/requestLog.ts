import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * One line per answered request (Fastify's own logging writes two, with the whole URL): the route
 * pattern rather than the path, so no query string (a WeChat code, say) reaches the log.
 */
async function requestLog(app: FastifyInstance) {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime), ip: request.ip }, 'request');
    done();
  });
}

export default fp(requestLog, { name: 'requestLog' });
