import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HelpContacts } from '../plugins/errors.ts';

const Meta = z.object({ help: z.object({ phone: z.string(), email: z.string() }) });

/** Public facts the login page shows before anyone signs in: the help contacts (F1). */
const metaRoutes: FastifyPluginAsyncZod<{ help: HelpContacts }> = async (app, { help }) => {
  app.get('/api/meta', { schema: { response: { 200: Meta } } }, async () => ({ help }));
};

export default metaRoutes;
