import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { methodKinds } from '../../core/ports.ts';
import { describePlace } from '../../providers/geoip.ts';
import { requireSession } from '../plugins/session.ts';
import { requestInfo } from '../secondFactor.ts';
import { describeClient } from './devices.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const IdParams = z.object({ id });
const BindBody = z.object({ kind: z.enum(methodKinds), input: z.record(z.string(), z.unknown()).default({}), changeId: id.optional() });
const StartBody = z.object({ factorId: id });
const CheckBody = z.object({ factorId: id, code: z.string().max(64).default('') });
const RecoveryBody = z.object({ verificationId: id });

/** 二次验证设置 (A4, B, D) and the trusted browsers of 登录设备 (C9, X8). */
export default async function twoFactorRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/2fa', async (request) => ctx.twoFactor.overview(requireSession(request).account.id));

  app.post('/api/2fa/bind', async (request) => {
    const { account } = requireSession(request);
    const { kind, input, changeId } = BindBody.parse(request.body);
    return ctx.twoFactor.beginBind(account, kind, input, requestInfo(request), request.lang, changeId);
  });

  app.post('/api/2fa/factors/:id/unbind', async (request) => {
    const { account } = requireSession(request);
    return ctx.twoFactor.beginUnbind(account, IdParams.parse(request.params).id);
  });

  app.post('/api/2fa/factors/:id/change', async (request) => {
    const { account } = requireSession(request);
    return ctx.twoFactor.beginChange(account, IdParams.parse(request.params).id);
  });

  // Recovery codes (X2): verify with any bound method, then a new set replaces the old one.
  app.post('/api/2fa/recovery/verify', async (request) => ctx.twoFactor.beginStepUp(requireSession(request).account));

  app.post('/api/2fa/recovery', async (request) => {
    const { account } = requireSession(request);
    const { verificationId } = RecoveryBody.parse(request.body);
    return ctx.twoFactor.generateRecoveryCodes(account, verificationId, requestInfo(request));
  });

  app.post('/api/2fa/verifications/:id/start', async (request) => {
    const { account } = requireSession(request);
    const { factorId } = StartBody.parse(request.body);
    const verification = await ctx.twoFactor.verifications.get(account.id, IdParams.parse(request.params).id);
    const started = await ctx.twoFactor.start(account, verification, factorId, requestInfo(request), request.lang);
    return { display: started.display, expiresAt: started.expiresAt.toISOString(), resendIn: started.resendIn };
  });

  app.post('/api/2fa/verifications/:id/check', async (request) => {
    const { account } = requireSession(request);
    const { factorId, code } = CheckBody.parse(request.body);
    const verification = await ctx.twoFactor.verifications.get(account.id, IdParams.parse(request.params).id);
    const result = await ctx.twoFactor.check(account, verification, factorId, code, requestInfo(request), request.lang);
    return result.status === 'pending' ? result : { status: 'verified', purpose: result.purpose, twoFactorOn: result.twoFactorOn };
  });

  app.get('/api/trusted-devices', async (request) => {
    const { account } = requireSession(request);
    const devices = await ctx.trustedDevices.list(account.id);
    return {
      devices: devices.map((d) => ({
        id: d.id,
        ...describeClient(d.userAgent ?? ''),
        place: d.ip ? describePlace(d.ip, request.lang) : '',
        ip: d.ip,
        trustedAt: d.createdAt.getTime(),
        lastUsed: d.lastUsedAt.getTime(),
        expiresAt: d.expiresAt.getTime(),
      })),
    };
  });

  app.delete('/api/trusted-devices/:id', async (request) => {
    const { account } = requireSession(request);
    const removed = await ctx.trustedDevices.remove(account.id, IdParams.parse(request.params).id, requestInfo(request));
    if (!removed) throw new PosternError('trusted_device_not_found');
    return { count: 1 };
  });

  app.post('/api/trusted-devices/remove-all', async (request) => {
    const { account } = requireSession(request);
    return { count: await ctx.trustedDevices.removeAll(account.id, requestInfo(request)) };
  });
}
