import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEventId, auditTypes, type Audit, type AuditType } from '../../core/audit.ts';
import { maskIp } from '../../core/mask.ts';
import type { AuditEvent } from '../../core/ports.ts';
import { describePlace } from '../../providers/geoip.ts';
import { ClientView, describeClient } from './devices.ts';

/** Events in one page of `GET /api/activity`. */
export const activityPageSize = 50;

/**
 * One security event as 安全动态 shows it; `at` in epoch milliseconds. Only what a sentence needs
 * leaves the server: the method's kind, an app password's name, why it failed; the IP is masked.
 */
const ActivityView = ClientView.extend({
  id: z.string(),
  at: z.number(),
  type: z.enum(auditTypes),
  /** The second-step method (`totp`, `sms`, ...) of bind, unbind, change and failed-check events. */
  method: z.string().nullable(),
  /** The client-specific password's name. */
  name: z.string().nullable(),
  /** Why: `password` (wrong password), `wrong`/`expired`/... (step 2), `trustedDevice`, `password_changed`... */
  reason: z.string().nullable(),
  /** How many trusted devices were removed at once. */
  count: z.number().nullable(),
  /** The administrator who acted on the account (SPEC X12): their address, or the operator of the command line. */
  actor: z.string().nullable(),
  /** The alias added or removed. */
  address: z.string().nullable(),
  place: z.string(),
  ip: z.string(),
});
export type ActivityView = z.infer<typeof ActivityView>;

const Query = z.object({ before: z.string().regex(auditEventId).optional() });

const text = (v: unknown) => (typeof v === 'string' ? v : null);

function reasonOf(detail: AuditEvent['detail']): string | null {
  if (detail.trustedDevice) return 'trustedDevice';
  if (detail.secondFactor) return 'secondFactor';
  return text(detail.reason) ?? text(detail.step);
}

/** 安全动态 (X6): the signed-in account's own sign-ins and security changes, newest first, a page at a time. */
const activityRoutes: FastifyPluginAsyncZod<{ audit: Audit }> = async (app, { audit }) => {
  app.get('/api/activity', { schema: { querystring: Query, response: { 200: z.object({ events: z.array(ActivityView), next: z.string().nullable() }) } } }, async (request) => {
    const events = await audit.list(request.user.account.id, activityPageSize + 1, request.query.before);
    const page = events.slice(0, activityPageSize);
    return {
      events: page.map(
        (e): ActivityView => ({
          id: e.id,
          at: e.at.getTime(),
          type: e.type as AuditType,
          method: text(e.detail.method),
          name: text(e.detail.name),
          reason: reasonOf(e.detail),
          count: typeof e.detail.count === 'number' ? e.detail.count : null,
          actor: text(e.detail.operator),
          address: text(e.detail.address),
          ...describeClient(e.userAgent ?? ''),
          place: e.ip ? describePlace(e.ip, request.lang) : '',
          ip: e.ip ? maskIp(e.ip) : '',
        }),
      ),
      next: events.length > activityPageSize ? page[page.length - 1].id : null,
    };
  });
};

export default activityRoutes;
