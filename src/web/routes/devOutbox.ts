import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { formatDateTime } from '../../core/datetime.ts';
import { PosternError } from '../../core/errors.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { escapeHtml as e } from '../../mail/templates/html.ts';
import type { DevOutboxEntry } from '../../core/messagePorts.ts';

const query = z.object({
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
export default async function devOutboxRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/dev/outbox', async (request) => {
    const q = query.parse(request.query);
    return { messages: await ctx.outbox.list(q) };
  });

  app.get('/dev/outbox', async (request, reply) => {
    const q = query.parse(request.query);
    const lang = request.lang;
    const entries = await ctx.outbox.list(q);
    const body = entries.length ? entries.map((entry) => entryHtml(entry, lang, ctx.config.timeZone)).join('\n') : `<p>${e(t(lang, 'devOutbox.empty'))}</p>`;
    reply.type('text/html; charset=utf-8');
    return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${e(t(lang, 'devOutbox.title'))}</title>
<style>body{font-family:'Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;margin:24px;max-width:900px}article{border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:12px 0}.meta{color:#666;font-size:13px}h2{font-size:16px;margin:8px 0}pre{white-space:pre-wrap;margin:0;font-family:inherit}</style>
</head><body><h1>${e(t(lang, 'devOutbox.title'))}</h1><p>${e(t(lang, 'devOutbox.note'))}</p>
${body}
</body></html>`;
  });

  app.get('/dev/outbox/:id/html', async (request, reply) => {
    const { id } = z.object({ id: z.string().max(64) }).parse(request.params);
    const entry = await ctx.outbox.get(id);
    if (!entry?.html) throw new PosternError('not_found');
    // The kept mail is shown as a mail client would: no scripts, no outside requests.
    reply.header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    reply.type('text/html; charset=utf-8');
    return entry.html;
  });
}
