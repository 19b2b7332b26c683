import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';

/** Public facts the login page shows before anyone signs in: the help contacts (F1). */
export default async function metaRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/meta', async () => ({ help: ctx.config.help }));
}
