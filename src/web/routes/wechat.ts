import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PosternError } from '../../core/errors.ts';
import { maskIp } from '../../core/mask.ts';
import type { AccountRepo, Clock } from '../../core/ports.ts';
import { sameKey } from '../../core/wechat.ts';
import type { WechatApprovals } from '../../core/wechatApprovals.ts';
import type { WechatIdentity, WechatProvider, WechatRequest } from '../../core/wechatPorts.ts';
import { errorMessage, t, type Lang } from '../../i18n/index.ts';
import { escapeHtml as e } from '../../mail/templates/html.ts';
import { describePlace } from '../../providers/geoip.ts';
import { ClientView, describeClient } from './devices.ts';

const challengeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const wxCode = z.string().trim().min(1).max(128);
const CallbackQuery = z.object({ code: wxCode, state: challengeId });
const MiniLogin = z.object({ code: wxCode });
const Answer = z.object({ action: z.enum(['approve', 'deny']) });
const miniTokenMs = 2 * 60 * 60_000;

export interface WechatRouteDeps {
  approvals: WechatApprovals;
  provider: WechatProvider;
  accounts: Pick<AccountRepo, 'findById'>;
  pepper: Buffer;
  clock: Clock;
}

/** A request as the phone shows it: which account asks, for what, from which device, browser and place (C4). */
const RequestView = ClientView.extend({
  id: z.string(),
  address: z.string(),
  purpose: z.string(),
  action: z.string(),
  place: z.string(),
  ip: z.string(),
  at: z.number(),
  expiresAt: z.number(),
});
export type RequestView = z.infer<typeof RequestView>;

export async function describeRequest(accounts: WechatRouteDeps['accounts'], r: WechatRequest, lang: Lang): Promise<RequestView> {
  const account = await accounts.findById(r.accountId);
  const client = describeClient(r.userAgent ?? '');
  return {
    id: r.challengeId,
    address: account?.address ?? '',
    purpose: r.purpose,
    action: t(lang, `wechat.purpose.${r.purpose}`),
    browser: client.browser,
    os: client.os,
    place: r.ip ? describePlace(r.ip, lang) : '',
    ip: r.ip ? maskIp(r.ip) : '',
    at: r.createdAt.getTime(),
    expiresAt: r.expiresAt.getTime(),
  };
}

/** The mini-program's session: a signed, short-lived bearer token naming the WeChat user, kept nowhere. */
function miniTokens({ pepper, clock }: { pepper: Buffer; clock: Clock }) {
  const key = createHmac('sha256', pepper).update('postern wechat mini').digest();
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    issue(who: WechatIdentity): string {
      const body = Buffer.from(JSON.stringify({ u: who.userId, o: who.openid, e: clock.now().getTime() + miniTokenMs })).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    read(request: FastifyRequest): WechatIdentity {
      const [body, sig] = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(request.headers.authorization ?? '')?.slice(1) ?? [];
      if (!body || !sig || !sameKey(sig, sign(body))) throw new PosternError('wechat_token_invalid');
      const { u, o, e: expires } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { u: string; o: string; e: number };
      if (expires <= clock.now().getTime()) throw new PosternError('wechat_token_invalid');
      return { userId: u, openid: o };
    },
  };
}

/**
 * WeChat's calls into Postern: the browser sent back by WeChat after the phone authorised a QR
 * (B3, C4, D3), and the mini-program "邮箱安全助手" (pending requests to confirm, current codes).
 */
const wechatRoutes: FastifyPluginAsyncZod<WechatRouteDeps> = async (app, deps) => {
  const { approvals, provider, accounts } = deps;
  const tokens = miniTokens(deps);

  app.get('/api/wechat/callback', async (request, reply) => {
    const lang = request.lang;
    let message: string;
    try {
      const { code, state } = CallbackQuery.parse(request.query);
      await approvals.answer(state, await provider.scanner(code), true);
      message = t(lang, 'wechat.callback.done');
    } catch (err) {
      message = errorMessage(lang, err instanceof PosternError ? err : new PosternError('bad_request'));
    }
    // Shown inside the frame that held WeChat's QR, on our own page.
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'").header('x-frame-options', 'SAMEORIGIN');
    reply.type('text/html; charset=utf-8');
    return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;text-align:center;padding-top:80px">${e(message)}</body></html>`;
  });

  app.post('/api/wechat/mini/login', { config: { csrf: false }, schema: { body: MiniLogin, response: { 200: z.object({ token: z.string(), expiresIn: z.number() }) } } }, async (request) => {
    const who = await provider.miniUser(request.body.code);
    return { token: tokens.issue(who), expiresIn: miniTokenMs / 1000 };
  });

  const MiniOverview = z.object({ codes: z.array(z.object({ address: z.string(), code: z.string(), secondsLeft: z.number() })), requests: z.array(RequestView) });
  app.get('/api/wechat/mini/overview', { schema: { response: { 200: MiniOverview } } }, async (request) => {
    const who = tokens.read(request);
    const codes = await approvals.codesFor(who);
    const requests = await approvals.pendingFor(who);
    return {
      codes: await Promise.all(codes.map(async (c) => ({ address: (await accounts.findById(c.accountId))?.address ?? '', code: c.code, secondsLeft: c.secondsLeft }))),
      requests: await Promise.all(requests.map((r) => describeRequest(accounts, r, request.lang))),
    };
  });

  app.post('/api/wechat/mini/requests/:id', { config: { csrf: false }, schema: { params: z.object({ id: challengeId }), body: Answer, response: { 200: z.object({ status: z.string() }) } } }, async (request) => {
    const who = tokens.read(request);
    const answered = await approvals.answer(request.params.id, who, request.body.action === 'approve');
    return { status: answered.status };
  });
};

export default wechatRoutes;
