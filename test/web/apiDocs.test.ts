import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../src/web/app.ts';
import { servedRoutes, testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  web = await testWeb();
});
after(() => web.close());

/** Pages and files, not API: the UI's fallback to index.html, the document itself, and JMAP's WebSocket upgrade (RFC 8887). */
const notApi = new Set(['GET *', 'GET /api/docs', 'GET /jmap/ws']);
/** API routes that answer HTML, XML, a file or an event stream rather than JSON with 200 (a JMAP upload answers 201). */
const notJson = new Set([
  'GET /.well-known/jmap',
  'POST /jmap/upload/{accountId}',
  'GET /jmap/download/{accountId}/{blobId}/{name}',
  'GET /jmap/eventsource',
  'GET /api/wechat/callback',
  'GET /api/autoconfig/apple.mobileconfig',
  'GET /.well-known/autoconfig/mail/config-v1.1.xml',
  'GET /mail/config-v1.1.xml',
  'POST /autodiscover/autodiscover.xml',
  'POST /Autodiscover/Autodiscover.xml',
  'GET /dev/outbox',
  'GET /dev/outbox/{id}/html',
  'GET /dev/wechat/scan',
  'POST /dev/wechat/scan',
  'GET /dev/wechat/assistant',
]);
/** JMAP (RFC 8620) is listed too; its request and reply shapes are the RFC's, not zod schemas of ours. */
const jmap = (route: string) => / \/(\.well-known\/)?jmap/.test(route);

test('/api/docs in development lists every route with its input and output schemas', async () => {
  const res = await web.app.inject({ method: 'GET', url: '/api/docs' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\./);
  const routes = servedRoutes(web.app).filter((r) => !notApi.has(r));
  assert.ok(routes.length >= 40, `found ${routes.length} routes`);
  for (const route of routes) {
    const [method, path] = route.split(' ');
    const op = doc.paths[path]?.[method.toLowerCase()];
    assert.ok(op, `${route} is in the document`);
    if (!notJson.has(route) && !jmap(route)) assert.ok(op.responses['200'].content['application/json'].schema, `${route} has its reply's schema`);
    if (path.includes('{')) assert.ok(op.parameters.some((p: { in: string }) => p.in === 'path'), `${route} has its path parameter`);
  }
  const login = doc.paths['/api/login'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(login.required, ['address', 'password']);
  assert.equal(login.properties.address.maxLength, 254);
  assert.ok(doc.paths['/api/activity'].get.parameters.some((p: { in: string; name: string }) => p.in === 'query' && p.name === 'before'));
});

test('/api/docs is a 404 in production', async () => {
  const prod = await buildApp({ ...web.ctx, config: { ...web.ctx.config, dev: false } });
  try {
    const res = await prod.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'not_found');
  } finally {
    await prod.close();
  }
});
