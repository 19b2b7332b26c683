import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PosternError } from '../../core/errors.ts';

/** Serves the built UI: hashed assets cached for good, every other page path gets index.html. */
export default async function staticUi(app: FastifyInstance, { dir }: { dir: string }) {
  const built = existsSync(join(dir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: join(dir, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d' });
  app.get('/*', async (request, reply) => {
    // API and development-only paths are never UI pages: an unknown one is a 404, not the app.
    if (request.url.startsWith('/api/') || request.url.startsWith('/dev/')) throw new PosternError('not_found');
    if (!built) throw new PosternError('ui_not_built');
    return reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
  });
}
