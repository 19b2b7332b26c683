import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../core/datetime.ts';
import { PosternError } from '../../core/errors.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { escapeHtml as e } from '../../mail/templates/html.ts';
import type { DevOutbox, DevOutboxEntry } from '../../core/messagePorts.ts';

const Query = z.object({
  to: z.string().max(320).optional(),
  channel: z.enum(['mail', 'sms']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function entryHtml(entry: DevOutboxEntry, lang: Lang, timeZone: string): string {
  const meta = [
    formatDateTime(entry.createdAt, timeZone),
    t(lang, `devOutbox.channel.${entry.channel}`),
    entry.from && `${t(lang, 'devOutbox.from')}: ${entry.from}`,
    `${t(lang, 'devOutbox.to')}: ${entry.to}`,
  ].filter(Boolean).join(' · ');
  const htmlLink = entry.html ? ` <a href="/dev/outbox/${encodeURIComponent(entry.id)}/html" target="_blank" rel="noopener">${e(t(lang, 'devOutbox.viewHtml'))}</a>` : '';
  return `<article data-id="${e(entry.id)}" data-channel="${entry.channel}">
<div class="meta">${e(meta)}${htmlLink}</div>
${entry.subject ? `<h2>${e(entry.subject)}</h2>` : ''}<pre>${e(entry.text)}</pre>
</article>`;
}

/** Development only: the mail and text messages that were kept instead of sent (page and JSON). */
const Entry = z.object({
  id: z.string(),
  channel: z.enum(['mail', 'sms']),
  to: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  createdAt: z.string(),
});

const devOutboxRoutes: FastifyPluginAsyncZod<{ outbox: DevOutbox; timeZone: string }> = async (app, { outbox, timeZone }) => {
  app.get('/api/dev/outbox', { schema: { querystring: Query, response: { 200: z.object({ messages: z.array(Entry) }) } } }, async (request) => ({
    messages: (await outbox.list(request.query)).map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  }));

  app.get('/dev/outbox', { schema: { querystring: Query } }, async (request, reply) => {
    const lang = request.lang;
    const entries = await outbox.list(request.query);
    const body = entries.length ? entries.map((entry) => entryHtml(entry, lang, timeZone)).join('\n') : `<p>${e(t(lang, 'devOutbox.empty'))}</p>`;
    reply.type('text/html; charset=utf-8');
    return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${e(t(lang, 'devOutbox.title'))}</title>
<style>body{font-family:'Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;margin:24px;max-width:900px}article{border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:12px 0}.meta{color:#666;font-size:13px}h2{font-size:16px;margin:8px 0}pre{white-space:pre-wrap;margin:0;font-family:inherit}</style>
</head><body><h1>${e(t(lang, 'devOutbox.title'))}</h1><p>${e(t(lang, 'devOutbox.note'))}</p>
${body}
</body></html>`;
  });

  app.get('/dev/outbox/:id/html', { schema: { params: z.object({ id: z.string().max(64) }) } }, async (request, reply) => {
    const entry = await outbox.get(request.params.id);
    if (!entry?.html) throw new PosternError('not_found');
    // The kept mail is shown as a mail client would: no scripts, no outside requests.
    reply.header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    reply.type('text/html; charset=utf-8');
    return entry.html;
  });
};

export default devOutboxRoutes;
