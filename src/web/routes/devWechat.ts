import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../core/datetime.ts';
import { PosternError } from '../../core/errors.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { escapeHtml as e } from '../../mail/templates/html.ts';
import { describeRequest, type RequestView, type WechatRouteDeps } from './wechat.ts';

const user = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/);
const ScanQuery = z.object({ c: z.string().max(64).default(''), user: user.default('wx-user-1'), done: z.enum(['approved', 'denied']).optional(), error: z.string().max(64).optional() });
const ScanForm = z.object({ c: z.string().min(1).max(64), user, action: z.enum(['approve', 'deny']), back: z.enum(['scan', 'assistant']).default('scan') });
const AssistantQuery = z.object({ user: user.default('wx-user-1') });

// WeChat's look, its greys and greens darkened to WCAG AA contrast (4.5:1).
const style = `body{margin:0;background:#e9ecef;font-family:'Microsoft YaHei','WenQuanYi Micro Hei','PingFang SC',sans-serif}
.phone{width:375px;min-height:640px;margin:24px auto;background:#f7f7f7;border-radius:28px;border:10px solid #222;overflow:hidden}
.bar{background:#ededed;padding:14px;text-align:center;font-weight:600;border-bottom:1px solid #ddd}
.card{background:#fff;margin:16px;padding:16px;border-radius:10px}.who{font-size:17px;font-weight:600;margin:0 0 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:0;font-size:14px}dt{color:#595959}dd{margin:0}
label{display:block;font-size:13px;color:#595959;margin:12px 16px 4px}input{box-sizing:border-box;width:calc(100% - 32px);margin:0 16px;padding:8px;border:1px solid #ccc;border-radius:6px}
.actions{display:flex;flex-direction:column;gap:10px;margin:20px 16px}button{padding:11px;border:0;border-radius:6px;font-size:16px}
.ok{background:#06844a;color:#fff}.no{background:#f2f2f2;color:#c62828}.note{margin:16px;font-size:13px;color:#595959}
.msg{margin:16px;padding:12px;border-radius:8px;background:#fff;text-align:center}.code{font-size:34px;letter-spacing:6px;font-weight:600;color:#06844a}`;

const page = (lang: Lang, title: string, body: string) => `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(title)}</title><style>${style}</style></head>
<body><div class="phone"><div class="bar">${e(title)}</div>${body}<p class="note">${e(t(lang, 'devWechat.note'))}</p></div></body></html>`;

function requestCard(lang: Lang, timeZone: string, d: RequestView): string {
  const rows: [string, string | null][] = [
    ['devWechat.device', d.os],
    ['devWechat.browser', d.browser],
    ['devWechat.place', d.place],
    ['devWechat.ip', d.ip],
    ['devWechat.time', formatDateTime(new Date(d.at), timeZone)],
  ];
  return `<div class="card" data-testid="wechat-request"><p class="who">${e(t(lang, 'devWechat.asks', { address: d.address, action: d.action }))}</p>
<dl>${rows.filter(([, v]) => v).map(([k, v]) => `<dt>${e(t(lang, k))}</dt><dd>${e(v!)}</dd>`).join('')}</dl></div>`;
}

function answerForm(lang: Lang, d: RequestView, who: string, back: 'scan' | 'assistant', withUser: boolean): string {
  const approve = t(lang, d.purpose === 'bind' ? 'devWechat.authorize' : d.purpose === 'login' ? 'devWechat.confirmLogin' : 'devWechat.confirm');
  return `<form method="post" action="/dev/wechat/scan"><input type="hidden" name="c" value="${e(d.id)}"><input type="hidden" name="back" value="${back}">
${withUser ? `<label for="user">${e(t(lang, 'devWechat.user'))}</label><input id="user" name="user" value="${e(who)}" data-testid="wechat-user">` : `<input type="hidden" name="user" value="${e(who)}">`}
<div class="actions"><button class="ok" name="action" value="approve" data-testid="wechat-approve">${e(approve)}</button>
<button class="no" name="action" value="deny" data-testid="wechat-deny">${e(t(lang, 'devWechat.deny'))}</button></div></form>`;
}

/**
 * Development only: the phone. /dev/wechat/scan is what WeChat shows after scanning a QR of the
 * emulator (who asks, from where; 授权/确认 or 拒绝, as a pretend WeChat user that can be changed);
 * /dev/wechat/assistant is the mini-program "邮箱安全助手" with its 6-digit codes.
 */
export interface DevWechatRouteDeps extends WechatRouteDeps {
  timeZone: string;
  helpEmail: string;
}

const devWechatRoutes: FastifyPluginAsyncZod<DevWechatRouteDeps> = async (app, { approvals, provider, accounts, timeZone, helpEmail }) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/dev/wechat/scan', { schema: { querystring: ScanQuery } }, async (request, reply) => {
    const lang = request.lang;
    const q = request.query;
    reply.type('text/html; charset=utf-8');
    const title = t(lang, 'devWechat.title');
    if (q.done) return page(lang, title, `<div class="msg" data-testid="wechat-done">${e(t(lang, `devWechat.${q.done}`))}</div>`);
    let body: string;
    try {
      const d = await describeRequest(accounts, await approvals.request(q.c), lang);
      body = requestCard(lang, timeZone, d) + answerForm(lang, d, q.user, 'scan', true);
    } catch (err) {
      if (!(err instanceof PosternError)) throw err;
      body = '';
      q.error = err.code;
    }
    const error = q.error && `<div class="msg" data-testid="wechat-error">${e(t(lang, `errors.${q.error}`, { help: helpEmail }))}</div>`;
    return page(lang, title, (error || '') + body);
  });

  app.post('/dev/wechat/scan', { config: { csrf: false }, schema: { body: ScanForm } }, async (request, reply) => {
    const form = request.body;
    const next = new URLSearchParams({ user: form.user });
    if (form.back === 'scan') next.set('c', form.c);
    try {
      const answered = await approvals.answer(form.c, await provider.scanner(form.user), form.action === 'approve');
      if (form.back === 'scan') next.set('done', answered.status as 'approved' | 'denied');
    } catch (err) {
      if (!(err instanceof PosternError)) throw err;
      next.set('error', err.code);
    }
    return reply.redirect(`/dev/wechat/${form.back}?${next}`, 303);
  });

  app.get('/dev/wechat/assistant', { schema: { querystring: AssistantQuery } }, async (request, reply) => {
    const lang = request.lang;
    const who = await provider.miniUser(request.query.user);
    const codes = await approvals.codesFor(who);
    const pending = await approvals.pendingFor(who);
    const cards = [];
    for (const c of codes) {
      const address = (await accounts.findById(c.accountId))?.address ?? '';
      cards.push(`<div class="card" data-testid="wechat-code-card"><p class="who">${e(address)}</p><div class="code" data-testid="wechat-code">${c.code}</div>
<p>${e(t(lang, 'devWechat.secondsLeft', { seconds: c.secondsLeft }))}</p></div>`);
    }
    for (const r of pending) {
      const d = await describeRequest(accounts, r, lang);
      cards.push(requestCard(lang, timeZone, d) + answerForm(lang, d, who.userId, 'assistant', false));
    }
    reply.type('text/html; charset=utf-8');
    const body = cards.length ? cards.join('\n') : `<div class="msg">${e(t(lang, 'devWechat.nothingBound', { user: who.userId }))}</div>`;
    return page(lang, t(lang, 'devWechat.assistant'), body);
  });
};

export default devWechatRoutes;
