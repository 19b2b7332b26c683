import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticated } from '../../src/web/plugins/authenticated.ts';
import csrf from '../../src/web/plugins/csrf.ts';
import errors from '../../src/web/plugins/errors.ts';
import i18n from '../../src/web/plugins/i18n.ts';
import session from '../../src/web/plugins/session.ts';
import { demo, servedRoutes, testWeb, TestBrowser, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
/** An app of its own with one new route in the authenticated scope whose handler checks nothing. */
let probe: FastifyInstance;
let handled = 0;
before(async () => {
  web = await testWeb();
  probe = Fastify();
  probe.setValidatorCompiler(validatorCompiler);
  probe.setSerializerCompiler(serializerCompiler);
  await probe.register(i18n);
  await probe.register(errors, { help: web.ctx.config.help });
  await probe.register(session, { sessions: web.ctx.sessions, secure: false });
  await probe.register(csrf, { pepper: web.ctx.secrets.pepper, publicUrl: web.ctx.config.publicUrl, secure: false });
  await probe.register(
    authenticated(async (scope) => {
      const typed = scope.withTypeProvider<ZodTypeProvider>();
      typed.get('/api/probe', async (request) => {
        handled++;
        return { address: request.user.account.address };
      });
      typed.post('/api/probe', { schema: { body: z.object({ n: z.number() }) } }, async (request) => {
        handled++;
        return { n: request.body.n };
      });
    }),
  );
});
after(async () => {
  await probe.close();
  await web.close();
});

test('A route registered in the authenticated scope answers 401 without a session, before its handler or its schema', async () => {
  const stranger = await probe.inject({ method: 'GET', url: '/api/probe' });
  assert.equal(stranger.statusCode, 401);
  assert.equal(stranger.json().error.code, 'unauthenticated');

  // A browser with a valid pre-login CSRF token but no session: refused before its body is even read.
  const anon = new TestBrowser(web.app, '127.0.0.1');
  await anon.open();
  const post = await probe.inject({ method: 'POST', url: '/api/probe', headers: { cookie: [...anon.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': anon.csrfToken, 'content-type': 'application/json' }, payload: '{"n":"not a number"}' });
  assert.equal(post.statusCode, 401);
  assert.equal(handled, 0);

  const signedIn = web.browser();
  assert.equal((await signedIn.login()).json().status, 'ok');
  const cookie = `postern_session=${signedIn.cookies.get('postern_session')}`;
  const own = await probe.inject({ method: 'GET', url: '/api/probe', headers: { cookie } });
  assert.equal(own.statusCode, 200);
  assert.deepEqual(own.json(), { address: demo.address });
  assert.equal(handled, 1);
});

/**
 * What a stranger may call: sign-in, public facts, mail-client setup (and JMAP's discovery
 * redirect), WeChat's own calls (bearer token), development pages. JMAP's own routes accept HTTP
 * Basic too, but without any credentials they answer 401 like the rest.
 */
const publicRoutes = new Set([
  'GET /.well-known/jmap',
  'GET /api/session', 'POST /api/logout', 'POST /api/login', 'GET /api/login/second-factor', 'POST /api/login/second-factor',
  'POST /api/login/second-factor/start', 'POST /api/login/passkey/options', 'POST /api/login/passkey', 'GET /api/meta', 'GET /healthz', 'GET /readyz', 'GET /api/docs', 'GET *',
  'GET /.well-known/autoconfig/mail/config-v1.1.xml', 'GET /mail/config-v1.1.xml', 'POST /autodiscover/autodiscover.xml', 'POST /Autodiscover/Autodiscover.xml',
  'GET /api/wechat/callback', 'POST /api/wechat/mini/login', 'GET /api/wechat/mini/overview', 'POST /api/wechat/mini/requests/{id}',
  'GET /api/dev/outbox', 'GET /dev/outbox', 'GET /dev/outbox/{id}/html', 'GET /dev/wechat/scan', 'POST /dev/wechat/scan', 'GET /dev/wechat/assistant',
]);

test('Every other route of the app needs a signed-in user: 401 without a session, whatever the body', async () => {
  const anon = web.browser();
  await anon.open();
  const guarded = servedRoutes(web.app).filter((r) => !publicRoutes.has(r));
  assert.ok(guarded.length >= 18, guarded.join(', '));
  for (const route of guarded) {
    const [method, path] = route.split(' ');
    const res = await anon.request(method as 'GET' | 'POST' | 'DELETE', path.replace(/\{\w+\}/g, 'x'), method === 'GET' ? undefined : { junk: true });
    assert.equal(res.statusCode, 401, route);
  }
});
