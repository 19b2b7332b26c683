import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PosternError } from '../../core/errors.ts';
import type { Sessions } from '../../core/sessions.ts';
import { describePlace } from '../../providers/geoip.ts';
import { describeUserAgent } from '../../providers/userAgent.ts';
import { Count } from '../schemas.ts';

/** `Chrome 141` and `Windows 10` (or `iOS 17.5 · Apple iPhone`); null where the User-Agent says nothing. */
export const ClientView = z.object({ browser: z.string().nullable(), os: z.string().nullable() });

export function describeClient(userAgent: string): z.infer<typeof ClientView> {
  const client = describeUserAgent(userAgent);
  return { browser: client.browser || null, os: [client.os, client.device].filter(Boolean).join(' · ') || null };
}

/** One signed-in browser as `GET /api/devices` lists it; times are epoch milliseconds. */
const DeviceView = ClientView.extend({ id: z.string(), place: z.string(), ip: z.string(), firstSeen: z.number(), lastSeen: z.number(), current: z.boolean() });
export type DeviceView = z.infer<typeof DeviceView>;

const Handle = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16}$/) });

/** 登录设备 (C9): the account's sessions; sign one out, or all but this one. Signed in. */
const deviceRoutes: FastifyPluginAsyncZod<{ sessions: Sessions }> = async (app, { sessions }) => {
  app.get('/api/devices', { schema: { response: { 200: z.object({ devices: z.array(DeviceView) }) } } }, async (request) => {
    const { record, account } = request.user;
    const listed = await sessions.list(account.id);
    const thisOneFirst = [...listed].sort((a, b) => Number(b.idHash === record.idHash) - Number(a.idHash === record.idHash));
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

  app.delete('/api/devices/:id', { schema: { params: Handle, response: { 200: Count } } }, async (request) => {
    const { record, account } = request.user;
    const { id } = request.params;
    if (id === record.handle) throw new PosternError('use_logout');
    if (!(await sessions.signOut(account.id, id))) throw new PosternError('unknown_device');
    return { count: 1 };
  });

  app.post('/api/devices/sign-out-others', { schema: { response: { 200: Count } } }, async (request) => ({ count: await sessions.signOutOthers(request.user.record) }));
};

export default deviceRoutes;
