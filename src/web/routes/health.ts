import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface DatabaseHealth {
  dialect: string;
  /** Resolves when the database answers a query. */
  ping(): Promise<unknown>;
}

const Health = z.object({ status: z.enum(['ok', 'unavailable']), database: z.string() });

/** For load balancers and monitoring: 200 while the database answers, else 503. */
const healthRoutes: FastifyPluginAsyncZod<{ database: DatabaseHealth }> = async (app, { database }) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      await database.ping();
      return { status: 'ok' as const, database: database.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: database.dialect });
    }
  });
};

export default healthRoutes;
