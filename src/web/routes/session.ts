import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSessions } from '../plugins/session.ts';
import { SessionInfo } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';

/** The session the UI starts from, and sign-out. */
const sessionRoutes: FastifyPluginAsyncZod<{ webSessions: WebSessions; sessionView: SessionView }> = async (app, { webSessions, sessionView }) => {
  app.get('/api/session', { schema: { response: { 200: SessionInfo } } }, async (request, reply) => sessionView(request, reply));

  app.post('/api/logout', { schema: { response: { 200: SessionInfo } } }, async (request, reply) => {
    await webSessions.end(request, reply);
    return sessionView(request, reply);
  });
};

export default sessionRoutes;
