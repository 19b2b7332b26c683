import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Context } from '../../context.ts';

export default async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
      return { status: 'ok', database: ctx.store.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.store.dialect });
    }
  });
}
