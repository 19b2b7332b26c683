import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../src/web/app.ts';
import { fakeProvider } from '../helpers/fakeHttp.ts';
import { demo, testWeb, type TestBrowser, type TestWeb } from '../helpers/web.ts';

// The WeChat Open Platform: each code names the WeChat user (unionid) it stands for.
const users: Record<string, string> = { 'SCAN-OWNER': 'u-owner', 'SCAN-OTHER': 'u-other', 'MINI-OWNER': 'u-owner' };
let wechat: Awaited<ReturnType<typeof fakeProvider>>;
let web: TestWeb;
before(async () => {
  wechat = await fakeProvider((req) => {
    const url = new URL(req.path, 'http://fake');
    const code = url.searchParams.get(url.pathname === '/sns/jscode2session' ? 'js_code' : 'code') ?? '';
    const unionid = users[code];
    return unionid ? { status: 200, json: { openid: `o-${code}`, unionid } } : { status: 200, json: { errcode: 40029, errmsg: 'invalid code' } };
  });
  web = await testWeb({
    POSTERN_WECHAT_PROVIDER: 'official',
    POSTERN_WECHAT_APP_ID: 'wx0123456789abcdef',
    POSTERN_WECHAT_APP_SECRET: 'web-secret-0123456789',
    POSTERN_WECHAT_MINI_APP_ID: 'wxfedcba9876543210',
    POSTERN_WECHAT_MINI_APP_SECRET: 'mini-secret-0123456789',
    POSTERN_WECHAT_API_URL: wechat.url,
    POSTERN_WECHAT_OPEN_URL: 'https://open.example',
  });
});
after(async () => {
  await web.close();
  await wechat.close();
});

const stateOf = (display: { frameUrl: string }) => new URL(display.frameUrl).searchParams.get('state')!;
const callback = (code: string, state: string) => web.app.inject({ url: `/api/wechat/callback?code=${code}&state=${encodeURIComponent(state)}` });
const mini = (method: 'GET' | 'POST', url: string, token: string, body?: object) =>
  web.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });

async function signedIn(): Promise<TestBrowser> {
  const b = web.browser('202.202.1.123');
  assert.equal((await b.login()).json().status, 'ok');
  return b;
}

test('B3 C4 official WeChat: bind through WeChat\'s callback, then the mini-program shows the code and confirms a login', async () => {
  const owner = await signedIn();
  const page = await owner.request('GET', '/');
  assert.match(String(page.headers['content-security-policy']), /frame-src 'self' https:\/\/open\.example/);

  const bind = (await owner.request('POST', '/api/2fa/bind', { kind: 'wechat' })).json();
  const poll = () => owner.request('POST', `/api/2fa/verifications/${bind.verificationId}/check`, { factorId: bind.factorId, code: '' });
  assert.deepEqual((await poll()).json(), { status: 'pending' });
  const back = await callback('SCAN-OWNER', stateOf(bind.challenge));
  assert.equal(back.statusCode, 200);
  assert.match(back.body, /已在微信上授权/);
  assert.match(String(back.headers['content-security-policy']), /frame-ancestors 'self'/);
  assert.deepEqual((await poll()).json(), { status: 'verified', purpose: 'bind', twoFactorOn: true });

  const login = (await mini('POST', '/api/wechat/mini/login', '', { code: 'MINI-OWNER' })).json();
  assert.match(login.token, /^[\w-]+\.[\w-]+$/);
  const overview = (await mini('GET', '/api/wechat/mini/overview', login.token)).json();
  assert.equal(overview.codes[0].address, demo.address);
  assert.match(overview.codes[0].code, /^\d{6}$/);
  assert.deepEqual(overview.requests, []);

  // A login from another browser: the mini-program lists who asks and confirms it.
  const laptop = web.browser('202.202.1.124');
  assert.equal((await laptop.login()).json().status, 'second_factor');
  const started = (await laptop.request('POST', '/api/login/second-factor/start', { factorId: bind.factorId })).json();
  const stranger = await callback('SCAN-OTHER', stateOf(started.display));
  assert.match(stranger.body, /当前微信不是该邮箱绑定的微信/);
  const [asked] = (await mini('GET', '/api/wechat/mini/overview', login.token)).json().requests;
  assert.equal(asked.id, stateOf(started.display));
  assert.deepEqual({ address: asked.address, action: asked.action, browser: asked.browser, ip: asked.ip }, { address: demo.address, action: '登录邮箱', browser: 'Chrome 141', ip: '202.xxx.x.xxx' });
  assert.equal((await laptop.request('POST', '/api/login/second-factor', { factorId: bind.factorId, code: '' })).json().status, 'pending');
  assert.deepEqual((await mini('POST', `/api/wechat/mini/requests/${asked.id}`, login.token, { action: 'approve' })).json(), { status: 'approved' });
  assert.equal((await laptop.request('POST', '/api/login/second-factor', { factorId: bind.factorId, code: '' })).json().status, 'ok');
});

test('the mini-program API refuses a bad token and a bad code; WeChat\'s own errors become a clear 502', async () => {
  const bad = await mini('GET', '/api/wechat/mini/overview', 'abc.def');
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.json().error.code, 'wechat_token_invalid');
  const wrong = await mini('POST', '/api/wechat/mini/login', '', { code: 'NOPE' });
  assert.equal(wrong.statusCode, 502);
  assert.equal(wrong.json().error.code, 'wechat_failed');
  assert.ok(!wrong.body.includes('secret-0123456789'));
  const empty = await mini('POST', '/api/wechat/mini/login', '', {});
  assert.equal(empty.statusCode, 400);
});

test('the phone emulator pages exist in development only', async () => {
  const dev = await buildApp({ ...web.ctx, config: { ...web.ctx.config, dev: true } });
  const page = await dev.inject({ url: '/dev/wechat/scan?c=unknown' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /二维码无效/);
  const prod = await buildApp({ ...web.ctx, config: { ...web.ctx.config, dev: false } });
  assert.equal((await prod.inject({ url: '/dev/wechat/scan?c=x' })).statusCode, 404);
  assert.equal((await prod.inject({ url: '/dev/wechat/assistant' })).statusCode, 404);
  await dev.close();
  await prod.close();
});
