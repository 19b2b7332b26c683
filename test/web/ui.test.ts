import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureUiBuilt, uiDist, uiIsStale } from '../../src/web/uiBuild.ts';
import { testWeb, type TestWeb } from '../helpers/web.ts';

let web: TestWeb;
before(async () => {
  await ensureUiBuilt();
  web = await testWeb();
});
after(() => web.close());

test('npm start needs no build step: the UI is built when missing or stale, then left alone', async () => {
  assert.equal(uiIsStale(), false);
  assert.equal(await ensureUiBuilt(), 'fresh');
});

test('Every page path gets the app\'s index.html, never cached; assets are cached for good', async () => {
  for (const path of ['/', '/login', '/settings/security/two-factor']) {
    const res = await web.app.inject({ method: 'GET', url: path });
    assert.equal(res.statusCode, 200, path);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.body, /<div id="root"><\/div>/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
  }
  // The API's JSON is never a page: OWASP's REST headers, a policy that allows nothing, never cached.
  const api = await web.app.inject({ method: 'GET', url: '/api/session' });
  assert.equal(api.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  assert.equal(api.headers['x-content-type-options'], 'nosniff');
  assert.equal(api.headers['x-frame-options'], 'DENY');
  assert.equal(api.headers['cross-origin-resource-policy'], 'same-origin');
  assert.equal(api.headers['cache-control'], 'no-store');
  assert.equal(api.headers['origin-agent-cluster'], undefined);
  const asset = readdirSync(join(uiDist, 'assets')).find((f) => f.endsWith('.js'))!;
  const res = await web.app.inject({ method: 'GET', url: `/assets/${asset}` });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['cache-control'] as string, /immutable/);
  assert.equal((await web.app.inject({ method: 'GET', url: '/assets/nope.js' })).statusCode, 404);
});

test('A6 the server answers in the lang cookie\'s language, else Accept-Language, else zh-CN', async () => {
  const message = async (headers: Record<string, string>) => (await web.app.inject({ method: 'GET', url: '/api/devices', headers })).json().error.message as string;
  assert.match(await message({}), /尚未登录/);
  assert.match(await message({ 'accept-language': 'en-US,en;q=0.9' }), /not signed in/);
  assert.match(await message({ 'accept-language': 'en-US', cookie: 'lang=zh-CN' }), /尚未登录/);
  assert.match(await message({ cookie: 'lang=en' }), /not signed in/);
  assert.match(await message({ cookie: 'lang=fr', 'accept-language': 'fr' }), /尚未登录/);
});
