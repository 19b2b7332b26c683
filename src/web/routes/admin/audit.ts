import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEventId, auditTypes } from '../../../core/audit.ts';
import type { AuditFilter } from '../../../core/adminPorts.ts';
import type { AdminRouteDeps } from './index.ts';

const pageSize = 50;
const csvRows = 10_000;

const Filter = z.object({
  account: z.string().max(254).optional(),
  type: z.enum(auditTypes).optional(),
  actor: z.string().max(254).optional(),
  ip: z.string().max(64).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  before: z.string().regex(auditEventId).optional(),
});
const EventView = z.object({ id: z.string(), at: z.number(), account: z.string().nullable(), type: z.string(), actor: z.string().nullable(), ip: z.string().nullable(), userAgent: z.string().nullable(), detail: z.record(z.string(), z.unknown()) });

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // A leading = + - @ would be a formula in a spreadsheet (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The audit log of every account: filters, cursor paging, CSV export. */
const auditRoutes: FastifyPluginAsyncZod<AdminRouteDeps> = async (app, { admin, accounts }) => {
  async function events(query: z.infer<typeof Filter>, limit: number) {
    const filter: AuditFilter = { type: query.type, actor: query.actor, ip: query.ip, from: query.from === undefined ? undefined : new Date(query.from), to: query.to === undefined ? undefined : new Date(query.to) };
    if (query.account) {
      const account = await accounts.repo.findByAddress(query.account.trim().toLowerCase());
      if (!account) return [];
      filter.accountId = account.id;
    }
    const found = await admin.auditLog(filter, limit, query.before);
    const addresses = new Map<string, string>();
    for (const id of new Set(found.flatMap((e) => (e.accountId ? [e.accountId] : [])))) addresses.set(id, (await accounts.repo.findById(id))?.address ?? id);
    return found.map((e) => ({ id: e.id, at: e.at.getTime(), account: e.accountId ? (addresses.get(e.accountId) ?? null) : null, type: e.type, actor: e.actor, ip: e.ip, userAgent: e.userAgent, detail: e.detail }));
  }

  app.get('/api/admin/audit', { schema: { querystring: Filter, response: { 200: z.object({ events: z.array(EventView), next: z.string().nullable() }) } } }, async (request) => {
    const found = await events(request.query, pageSize + 1);
    const page = found.slice(0, pageSize);
    return { events: page, next: found.length > pageSize ? page[page.length - 1].id : null };
  });

  app.get('/api/admin/audit.csv', { schema: { querystring: Filter, response: { 200: z.string() } } }, async (request, reply) => {
    const rows = await events(request.query, csvRows);
    const header = ['time', 'account', 'type', 'actor', 'ip', 'user_agent', 'detail'];
    const lines = rows.map((e) => [new Date(e.at).toISOString(), e.account, e.type, e.actor, e.ip, e.userAgent, e.detail].map(csvCell).join(','));
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="postern-audit.csv"');
    return [header.join(','), ...lines].join('\r\n') + '\r\n';
  });
};

export default auditRoutes;
