import { ConfigError } from '../../config.ts';
import type { WechatIdentity, WechatProvider } from '../../core/wechatPorts.ts';
import { wechatFailure } from './failure.ts';

export interface OfficialWechatSettings {
  /** Website application (网站应用) of the Open Platform: QR login. */
  appId: string;
  appSecret: string;
  /** The "邮箱安全助手" mini-program. */
  miniAppId: string;
  miniAppSecret: string;
  /** Where WeChat sends the browser back after the phone authorised (our /api/wechat/callback). */
  redirectUri: string;
  openUrl: string;
  apiUrl: string;
  timeoutMs: number;
}

/** GET a WeChat API and read its JSON; WeChat reports errors as 200 with `errcode`. */
async function getJson(url: URL, timeoutMs: number): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw wechatFailure(`http_${response.status}`);
    body = await response.json();
  } catch (err) {
    if ((err as { code?: string }).code === 'wechat_failed') throw err;
    const name = (err as Error).name;
    throw wechatFailure(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : name === 'SyntaxError' ? 'bad_reply' : 'network');
  }
  if (!body || typeof body !== 'object') throw wechatFailure('bad_reply');
  const json = body as Record<string, unknown>;
  if (json.errcode !== undefined && json.errcode !== 0) throw wechatFailure(`errcode_${String(json.errcode)}`);
  return json;
}

/**
 * The scanner's identity. The website app and the mini-program have different openids for one
 * person; only the unionid (apps under one Open Platform account) ties the two together.
 */
function identity(json: Record<string, unknown>): WechatIdentity {
  const { openid, unionid } = json;
  if (typeof openid !== 'string' || !openid) throw wechatFailure('bad_reply');
  if (typeof unionid !== 'string' || !unionid) throw wechatFailure('no_unionid');
  return { userId: unionid, openid };
}

/** The WeChat Open Platform: website QR login (`qrconnect`, `sns/oauth2/access_token`) and mini-program login (`jscode2session`). */
export function officialWechat(s: OfficialWechatSettings): WechatProvider {
  const api = (path: string, params: Record<string, string>) => {
    const url = new URL(path, `${s.apiUrl}/`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  };
  return {
    name: 'official',
    qrFor(challengeId) {
      const url = new URL('connect/qrconnect', `${s.openUrl}/`);
      url.search = new URLSearchParams({
        appid: s.appId,
        redirect_uri: s.redirectUri,
        response_type: 'code',
        scope: 'snsapi_login',
        state: challengeId,
        // WeChat's QR page runs in a frame of ours and is sent back inside it.
        self_redirect: 'true',
      }).toString();
      url.hash = 'wechat_redirect';
      return { frameUrl: url.toString() };
    },
    async scanner(code) {
      return identity(await getJson(api('sns/oauth2/access_token', { appid: s.appId, secret: s.appSecret, code, grant_type: 'authorization_code' }), s.timeoutMs));
    },
    async miniUser(code) {
      return identity(await getJson(api('sns/jscode2session', { appid: s.miniAppId, secret: s.miniAppSecret, js_code: code, grant_type: 'authorization_code' }), s.timeoutMs));
    },
  };
}

const url = (raw: Record<string, string>, name: string, fallback: string): string => {
  const value = raw[name]?.trim() || fallback;
  if (!/^https?:\/\/[^/\s]+/.test(value)) throw new ConfigError(`${name}=${JSON.stringify(value)}: must be an http(s) URL; example: ${name}=${fallback}`);
  return value.replace(/\/+$/, '');
};

/** Where WeChat's QR page comes from (allowed as a frame by the page's CSP). */
export const wechatOpenOrigin = (raw: Record<string, string>): string => new URL(url(raw, 'POSTERN_WECHAT_OPEN_URL', 'https://open.weixin.qq.com')).origin;

/** The official adapter from POSTERN_WECHAT_* (the API base URLs are settable for tests). */
export function officialWechatFromSettings(wechat: { appId: string; appSecret: string; miniAppId: string; miniAppSecret: string }, publicUrl: string, raw: Record<string, string>): WechatProvider {
  return officialWechat({
    ...wechat,
    redirectUri: `${publicUrl.replace(/\/+$/, '')}/api/wechat/callback`,
    openUrl: url(raw, 'POSTERN_WECHAT_OPEN_URL', 'https://open.weixin.qq.com'),
    apiUrl: url(raw, 'POSTERN_WECHAT_API_URL', 'https://api.weixin.qq.com'),
    timeoutMs: 10_000,
  });
}
