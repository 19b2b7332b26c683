import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { auditEventId, type AuditType } from '../../core/audit.ts';
import { maskIp } from '../../core/mask.ts';
import type { AuditEvent } from '../../core/ports.ts';
import { describePlace } from '../../providers/geoip.ts';
import { requireSession } from '../plugins/session.ts';
import { describeClient } from './devices.ts';

/** Events in one page of `GET /api/activity`. */
export const activityPageSize = 50;

/**
 * One security event as 安全动态 shows it; `at` in epoch milliseconds. Only what a sentence needs
 * leaves the server: the method's kind, an app password's name, why it failed; the IP is masked.
 */
export interface ActivityView {
  id: string;
  at: number;
  type: AuditType;
  /** The second-step method (`totp`, `sms`, ...) of bind, unbind, change and failed-check events. */
  method: string | null;
  /** The client-specific password's name. */
  name: string | null;
  /** Why: `password` (wrong password), `wrong`/`expired`/... (step 2), `trustedDevice`, `password_changed`... */
  reason: string | null;
  /** How many trusted devices were removed at once. */
  count: number | null;
  browser: string | null;
  os: string | null;
  place: string;
  ip: string;
}

const Query = z.object({ before: z.string().regex(auditEventId).optional() });

const text = (v: unknown) => (typeof v === 'string' ? v : null);

function reasonOf(detail: AuditEvent['detail']): string | null {
  if (detail.trustedDevice) return 'trustedDevice';
  if (detail.secondFactor) return 'secondFactor';
  return text(detail.reason) ?? text(detail.step);
}

/** 安全动态 (X6): the signed-in account's own sign-ins and security changes, newest first, a page at a time. */
export default async function activityRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/activity', async (request) => {
    const { account } = requireSession(request);
    const { before } = Query.parse(request.query);
    const events = await ctx.audit.list(account.id, activityPageSize + 1, before);
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
          ...describeClient(e.userAgent ?? ''),
          place: e.ip ? describePlace(e.ip, request.lang) : '',
          ip: e.ip ? maskIp(e.ip) : '',
        }),
      ),
      next: events.length > activityPageSize ? page[page.length - 1].id : null,
    };
  });
}
