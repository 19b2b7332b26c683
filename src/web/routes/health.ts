import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { probe, type Dependency } from '../dependencies.ts';

export interface HealthOptions {
  database: Dependency & { kind: string };
  others: Dependency[];
}

const Check = z.object({ name: z.string(), kind: z.string().optional(), status: z.enum(['ok', 'unavailable']), ms: z.number() });
const Health = z.object({ status: z.enum(['ok', 'degraded', 'unavailable']), database: z.string(), checks: z.array(Check) });

/**
 * `/healthz` (monitoring) reports each dependency and answers 200 while the process runs;
 * `/readyz` (load balancers) answers 503 while the node cannot serve: its database is unreachable.
 */
const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { database, others }) => {
  const report = async () => {
    const checks = await Promise.all([database, ...others].map(probe));
    const down = checks.filter((c) => c.status !== 'ok');
    const status = down.some((c) => c.name === 'database') ? 'unavailable' : down.length ? 'degraded' : 'ok';
    return { status, database: database.kind, checks } as z.infer<typeof Health>;
  };
  app.get('/healthz', { schema: { response: { 200: Health } } }, report);
  app.get('/readyz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const health = await report();
    return reply.status(health.status === 'unavailable' ? 503 : 200).send(health);
  });
};

export default healthRoutes;
