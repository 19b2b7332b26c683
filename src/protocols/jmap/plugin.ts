// The JMAP server as one encapsulated Fastify plugin: session resource, API, blobs and push.
import websocket from '@fastify/websocket';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { authenticate, refuse, type JmapUser } from './auth.ts';
import { downloadHeaders, readBlob, upload } from './blobs.ts';
import { parseRequest, runRequest } from './engine.ts';
import { RequestProblem } from './errors.ts';
import { methods } from './methods/index.ts';
import { eventSource } from './push.ts';
import { limits, paths, sessionResource, sessionState } from './session.ts';
import { serveWebSocket, webSocketProtocol } from './webSocket.ts';

declare module 'fastify' {
  interface FastifyRequest {
    jmapUser: JmapUser | null;
  }
}

// What the API document says of the JSON answers (RFC 8620 §2, §3.4, §6.1); loose: JMAP objects are open.
const anyObject = z.record(z.string(), z.unknown());
const schemas = {
  session: { response: { 200: z.looseObject({ capabilities: anyObject, accounts: anyObject, primaryAccounts: z.record(z.string(), z.string()), username: z.string(), apiUrl: z.string(), downloadUrl: z.string(), uploadUrl: z.string(), eventSourceUrl: z.string(), state: z.string() }) } },
  api: { response: { 200: z.looseObject({ methodResponses: z.array(z.tuple([z.string(), anyObject, z.string()])), createdIds: z.record(z.string(), z.string()), sessionState: z.string() }) } },
  upload: { response: { 201: z.object({ accountId: z.string(), blobId: z.string(), type: z.string(), size: z.number() }), 404: z.object({ type: z.string(), status: z.number(), detail: z.string() }) } },
};

const slotWindowMs = 60_000;

const problem = (reply: FastifyReply, p: RequestProblem) => reply.status(p.status).type('application/problem+json').send(p.body());
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export default async function jmapPlugin(app: FastifyInstance, { ctx }: { ctx: Context }) {
  // Bodies are read raw: the API parses JSON itself (notJSON is its own error), uploads take any type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.decorateRequest('jmapUser', null);
  await app.register(websocket, {
    options: { maxPayload: limits.maxSizeRequest, handleProtocols: (protocols: Set<string>) => (protocols.has(webSocketProtocol) ? webSocketProtocol : false) },
  });

  /**
   * maxConcurrentRequests and maxConcurrentUpload, counted for all nodes by the shared limiter from
   * the moment a request arrives until its connection is done with it. The counter is one of a
   * window: units a crashed node never gave back are gone with the window.
   */
  const holdSlot = (kind: 'maxConcurrentRequests' | 'maxConcurrentUpload') => async (request: FastifyRequest, reply: FastifyReply) => {
    const key = `jmap:${kind}:${request.jmapUser!.account.id}`;
    const at = ctx.clock.now();
    const slot = await ctx.limiter.consume(key, limits[kind], slotWindowMs, at);
    if (!slot.ok) return problem(reply, new RequestProblem('limit', kind === 'maxConcurrentUpload' ? 'Too many uploads at once.' : 'Too many requests at once.', kind));
    reply.raw.once('close', () => void ctx.limiter.refund(key, slotWindowMs, at).catch((err: unknown) => request.log.warn({ err }, 'jmap slot not given back')));
  };

  app.addHook('onRequest', async (request, reply) => {
    const outcome = await authenticate(ctx, app, request);
    if (!outcome.ok) return refuse(reply, request, outcome.reason);
    request.jmapUser = outcome.user;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const upload = request.url.startsWith('/jmap/upload');
      return problem(reply, new RequestProblem('limit', upload ? 'The blob is too large.' : 'The request is too large.', upload ? 'maxSizeUpload' : 'maxSizeRequest', 413));
    }
    if ((error.statusCode ?? 500) < 500) return problem(reply, new RequestProblem('notRequest', 'Bad request.'));
    request.log.error({ err: error }, 'jmap request failed');
    return reply.status(500).type('application/problem+json').send({ type: 'about:blank', status: 500, detail: 'Internal error.' });
  });

  const user = (request: FastifyRequest) => request.jmapUser!;
  const noCsrf = { csrf: false };

  app.get('/.well-known/jmap', async (_request, reply) => reply.redirect(paths.session, 307));

  app.get(paths.session, { config: noCsrf, schema: schemas.session }, async (request) => sessionResource(user(request).account, originOf(request)));

  // The schema documents the answer; the engine builds it to the RFC's shape, and checking a page
  // of Emails against it on every request would cost more than the rest of the envelope.
  const api = { config: noCsrf, bodyLimit: limits.maxSizeRequest, schema: schemas.api, serializerCompiler: () => JSON.stringify, onRequest: holdSlot('maxConcurrentRequests') };
  app.post(paths.api, api, async (request, reply) => {
    const { account } = user(request);
    const type = request.headers['content-type'] ?? '';
    let body: unknown;
    try {
      if (!/^application\/json\b/i.test(type)) throw new Error('not json');
      body = JSON.parse((request.body as Buffer).toString('utf8'));
    } catch {
      return problem(reply, new RequestProblem('notJSON', 'The body must be JSON (application/json).'));
    }
    try {
      const parsed = parseRequest(body);
      const result = await runRequest(parsed, account.id, methods, { ctx, account, remoteIp: request.ip }, (err) => request.log.error({ err }, 'jmap method failed'));
      return { ...result, sessionState: sessionState(account, originOf(request)) };
    } catch (err) {
      if (err instanceof RequestProblem) return problem(reply, err);
      throw err;
    }
  });

  app.post('/jmap/upload/:accountId', { config: noCsrf, bodyLimit: limits.maxSizeUpload, schema: schemas.upload, onRequest: holdSlot('maxConcurrentUpload') }, async (request, reply) => {
    const { accountId } = request.params as { accountId: string };
    if (accountId !== user(request).account.id) return reply.status(404).type('application/problem+json').send({ type: 'about:blank', status: 404, detail: 'No such account.' });
    const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const type = (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim().slice(0, 200);
    return reply.status(201).send(await upload(ctx, accountId, data, type));
  });

  app.get('/jmap/download/:accountId/:blobId/:name', { config: noCsrf }, async (request, reply) => {
    const { accountId, blobId, name } = request.params as { accountId: string; blobId: string; name: string };
    const data = accountId === user(request).account.id ? await readBlob(ctx, accountId, blobId) : null;
    if (!data) return reply.status(404).type('application/problem+json').send({ type: 'about:blank', status: 404, detail: 'No such blob.' });
    return reply.headers(downloadHeaders(name, (request.query as { type?: string }).type)).send(data);
  });

  app.get(paths.webSocket, { config: noCsrf, websocket: true }, (socket, request) => serveWebSocket(ctx, user(request), socket, request.ip, originOf(request)));

  app.get('/jmap/eventsource', { config: noCsrf }, async (request, reply) => eventSource(ctx, user(request), request, reply));
}
