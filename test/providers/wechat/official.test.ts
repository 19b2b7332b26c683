import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { PosternError } from '../../../src/core/errors.ts';
import { createWechatProvider } from '../../../src/providers/wechat/index.ts';
import { officialWechat } from '../../../src/providers/wechat/official.ts';
import { fakeProviders, type FakeReply, type RecordedRequest } from '../../helpers/fakeHttp.ts';

const fake = fakeProviders();
const app = { appId: 'wx0123456789abcdef', appSecret: 'web-secret-0123456789', miniAppId: 'wxfedcba9876543210', miniAppSecret: 'mini-secret-0123456789' };
const redirectUri = 'https://mail.example.edu/api/wechat/callback';

function adapter(url: string, timeoutMs = 2000) {
  return officialWechat({ ...app, redirectUri, openUrl: 'https://open.example', apiUrl: url, timeoutMs });
}

/** A fake WeChat API: checks the path and every query parameter, then answers `reply`. */
function wechatApi(path: string, params: Record<string, string>, reply: FakeReply) {
  return (req: RecordedRequest): FakeReply => {
    const url = new URL(req.path, 'http://fake');
    if (req.method !== 'GET' || url.pathname !== path) return { status: 404, json: {} };
    for (const [k, v] of Object.entries(params)) if (url.searchParams.get(k) !== v) return { status: 200, json: { errcode: 40013, errmsg: `bad ${k}` } };
    return reply;
  };
}

const failed = (reason: string, secret?: string) => (err: unknown) => {
  assert.ok(err instanceof PosternError, String(err));
  assert.equal(err.code, 'wechat_failed');
  assert.equal(err.params?.reason, reason);
  if (secret) assert.ok(!JSON.stringify({ m: err.message, p: err.params }).includes(secret));
  return true;
};

test('B3 the QR is WeChat\'s qrconnect page for our website app, coming back to our callback with the challenge as state', () => {
  const { frameUrl } = adapter('http://127.0.0.1:9').qrFor('challenge-1') as { frameUrl: string };
  const url = new URL(frameUrl);
  assert.equal(url.origin + url.pathname, 'https://open.example/connect/qrconnect');
  assert.equal(url.searchParams.get('appid'), app.appId);
  assert.equal(url.searchParams.get('redirect_uri'), redirectUri);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('scope'), 'snsapi_login');
  assert.equal(url.searchParams.get('state'), 'challenge-1');
  assert.equal(url.hash, '#wechat_redirect');
  assert.ok(!frameUrl.includes(app.appSecret));
});

test('B3 the scanner: the code is exchanged at sns/oauth2/access_token for the openid and unionid', async () => {
  const server = await fake(wechatApi('/sns/oauth2/access_token', { appid: app.appId, secret: app.appSecret, code: 'CODE1', grant_type: 'authorization_code' }, { status: 200, json: { access_token: 'AT', expires_in: 7200, openid: 'o-web', unionid: 'u-1', scope: 'snsapi_login' } }));
  assert.deepEqual(await adapter(server.url).scanner('CODE1'), { userId: 'u-1', openid: 'o-web' });
  assert.equal(server.requests.length, 1);
});

test('C4 the mini-program user: the wx.login code is exchanged at sns/jscode2session with the mini-program\'s id', async () => {
  const server = await fake(wechatApi('/sns/jscode2session', { appid: app.miniAppId, secret: app.miniAppSecret, js_code: 'JS1', grant_type: 'authorization_code' }, { status: 200, json: { openid: 'o-mini', session_key: 'SK', unionid: 'u-1' } }));
  assert.deepEqual(await adapter(server.url).miniUser('JS1'), { userId: 'u-1', openid: 'o-mini' });
});

test('WeChat errors, a missing unionid, HTTP errors and a silent server become wechat_failed without the secret', async () => {
  const invalid = await fake(() => ({ status: 200, json: { errcode: 40029, errmsg: 'invalid code' } }));
  await assert.rejects(adapter(invalid.url).scanner('BAD'), failed('errcode_40029', app.appSecret));
  const noUnion = await fake(() => ({ status: 200, json: { openid: 'o-web' } }));
  await assert.rejects(adapter(noUnion.url).scanner('C'), failed('no_unionid'));
  const down = await fake(() => ({ status: 503, json: {} }));
  await assert.rejects(adapter(down.url).miniUser('C'), failed('http_503', app.miniAppSecret));
  const silent = await fake(() => 'hang');
  await assert.rejects(adapter(silent.url, 200).scanner('C'), failed('timeout'));
});

test('the official provider needs both applications\' ids and secrets, in production already when the config is read', () => {
  const base = { POSTERN_WECHAT_PROVIDER: 'official', POSTERN_DATA_DIR: '/tmp/postern-unused' };
  assert.throws(() => createWechatProvider(loadConfig(base)), (err: unknown) => err instanceof ConfigError && /POSTERN_WECHAT_APP_ID/.test(err.message));
  const full = { ...base, POSTERN_WECHAT_APP_ID: app.appId, POSTERN_WECHAT_APP_SECRET: app.appSecret, POSTERN_WECHAT_MINI_APP_ID: app.miniAppId };
  assert.throws(() => createWechatProvider(loadConfig(full)), (err: unknown) => err instanceof ConfigError && /POSTERN_WECHAT_MINI_APP_SECRET/.test(err.message));
  assert.equal(createWechatProvider(loadConfig({ ...full, POSTERN_WECHAT_MINI_APP_SECRET: app.miniAppSecret })).name, 'official');
  assert.throws(() => loadConfig({ ...base, POSTERN_WECHAT_APP_ID: 'not-an-app-id' }), /POSTERN_WECHAT_APP_ID/);
  assert.equal(createWechatProvider(loadConfig({ POSTERN_DATA_DIR: '/tmp/postern-unused' })).name, 'emulator');
  const production = { ...base, POSTERN_ENV: 'production', POSTERN_TLS_CERT: '/etc/tls/cert.pem', POSTERN_TLS_KEY: '/etc/tls/key.pem', POSTERN_PUBLIC_URL: 'https://mail.example.edu', POSTERN_SMS_PROVIDER: 'aliyun', POSTERN_SMTP_RELAY_URL: 'smtp://relay.example.edu:587' };
  assert.throws(() => loadConfig(production), (err: unknown) => err instanceof ConfigError && /^POSTERN_WECHAT_APP_ID: required when POSTERN_WECHAT_PROVIDER=official/.test(err.message));
  assert.equal(loadConfig({ ...production, ...full, POSTERN_WECHAT_MINI_APP_SECRET: app.miniAppSecret }).wechat.miniAppId, app.miniAppId);
});
