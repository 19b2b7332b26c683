import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * Development only: the OpenAPI document of every route, made from the routes' own zod schemas,
 * at `GET /api/docs`. Registered before the routes, so that it sees each one as it is added.
 */
async function apiDocsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: { info: { title: 'Postern HTTP API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(apiDocsPlugin, { name: 'api-docs' });
