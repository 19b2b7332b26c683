import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers for these options, worked out once: none depends on the request. (@fastify/helmet
 * rebuilds helmet's middleware, CSP parsing included, on every request.)
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)), removeHeader: () => {} };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * The API's JSON (and JMAP's) is never a document: OWASP's REST set is enough, with a policy that
 * allows nothing. Half of helmet's headers only mean something to a page, and every response of the
 * busiest routes would carry them.
 */
export function apiHeaders(documentHeaders: Record<string, string>): Record<string, string> {
  const kept = ['strict-transport-security', 'x-content-type-options', 'cross-origin-resource-policy', 'referrer-policy'];
  return {
    ...Object.fromEntries(kept.filter((name) => name in documentHeaders).map((name) => [name, documentHeaders[name]])),
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

const isApi = (url: string) => url.startsWith('/api/') || url.startsWith('/jmap/');

/** Every response carries the security headers: a page helmet's (CSP, HSTS in production, nosniff, frame and referrer policies…), the API its own. */
async function securityHeaders(app: FastifyInstance, options: HelmetOptions) {
  const headers = helmetHeaders(options);
  const api = apiHeaders(headers);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApi(request.url) ? api : headers);
    done();
  });
}

export default fp(securityHeaders, { name: 'securityHeaders' });
