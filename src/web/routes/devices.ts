import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { describePlace } from '../../providers/geoip.ts';
import { describeUserAgent } from '../../providers/userAgent.ts';
import { requireSession } from '../plugins/session.ts';

/** One signed-in browser as `GET /api/devices` lists it; times are epoch milliseconds. */
export interface DeviceView {
  id: string;
  browser: string | null;
  os: string | null;
  place: string;
  ip: string;
  firstSeen: number;
  lastSeen: number;
  current: boolean;
}

const Handle = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16}$/) });

/** `Chrome 141` and `Windows 10` (or `iOS 17.5 · Apple iPhone`); null where the User-Agent says nothing. */
export function describeClient(userAgent: string): { browser: string | null; os: string | null } {
  const client = describeUserAgent(userAgent);
  return { browser: client.browser || null, os: [client.os, client.device].filter(Boolean).join(' · ') || null };
}

/** 登录设备 (C9): the account's sessions; sign one out, or all but this one. */
export default async function deviceRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/devices', async (request) => {
    const { record, account } = requireSession(request);
    const sessions = await ctx.sessions.list(account.id);
    const thisOneFirst = [...sessions].sort((a, b) => Number(b.idHash === record.idHash) - Number(a.idHash === record.idHash));
    return {
      devices: thisOneFirst.map((s): DeviceView => ({
        id: s.handle,
        ...describeClient(s.userAgent),
        place: describePlace(s.ip, request.lang),
        ip: s.ip,
        firstSeen: s.createdAt,
        lastSeen: s.lastSeenAt,
        current: s.idHash === record.idHash,
      })),
    };
  });

  app.delete('/api/devices/:id', async (request) => {
    const { record, account } = requireSession(request);
    const { id } = Handle.parse(request.params);
    if (id === record.handle) throw new PosternError('use_logout');
    if (!(await ctx.sessions.signOut(account.id, id))) throw new PosternError('unknown_device');
    return { count: 1 };
  });

  app.post('/api/devices/sign-out-others', async (request) => {
    const { record } = requireSession(request);
    return { count: await ctx.sessions.signOutOthers(record) };
  });
}
