import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PosternError } from '../../core/errors.ts';
import type { Metrics } from '../../metrics.ts';
import { probe, type Dependency } from '../dependencies.ts';

export interface MetricsOptions {
  metrics: Metrics;
  /** Bearer token of GET /metrics (POSTERN_METRICS_TOKEN); without one the route is not served. */
  token?: string;
  dependencies: Dependency[];
  queueDepth(): Promise<number>;
  /** Notices and code messages waiting to be sent. */
  sideEffectsDepth(): Promise<number>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The result a web sign-in is counted under, from its answer. */
function webLoginResult(status: number): string {
  if (status === 200) return 'ok';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'refused';
}

/** Every answered request is timed by route and status; GET /metrics serves the node's registry. */
async function metricsPlugin(app: FastifyInstance, { metrics, token, dependencies, queueDepth, sideEffectsDepth }: MetricsOptions) {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? '(no route)';
    metrics.httpRequests.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
    if (route === '/api/login' && request.method === 'POST') metrics.logins.inc({ protocol: 'web', result: webLoginResult(reply.statusCode) });
    done();
  });
  if (!token) return;
  const expected = digest(`Bearer ${token}`);
  app.get('/metrics', { schema: { description: 'Prometheus metrics of this node (Authorization: Bearer POSTERN_METRICS_TOKEN)' } }, async (request, reply) => {
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) throw new PosternError('unauthenticated');
    for (const checked of await Promise.all(dependencies.map(probe))) {
      metrics.dependencyUp.set({ dependency: checked.name }, checked.status === 'ok' ? 1 : 0);
      metrics.dependencyLatency.set({ dependency: checked.name }, checked.ms / 1000);
    }
    metrics.queueDepth.set(await queueDepth().catch(() => Number.NaN));
    metrics.sideEffectsDepth.set(await sideEffectsDepth().catch(() => Number.NaN));
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

export default fp(metricsPlugin, { name: 'metrics' });
