import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PosternError } from '../../core/errors.ts';
import { methodKinds } from '../../core/ports.ts';
import type { StepUp } from '../../core/stepUp.ts';
import type { TrustedDevices } from '../../core/trustedDevices.ts';
import type { TwoFactor } from '../../core/twoFactor.ts';
import { describePlace } from '../../providers/geoip.ts';
import type { WebSessions } from '../plugins/session.ts';
import { requestInfo } from '../requestInfo.ts';
import { Answer, Count, FactorView, Id, IdParams, SessionInfo, Started, VerificationView } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';
import { ClientView, describeClient } from './devices.ts';

const BindBody = z.object({ kind: z.enum(methodKinds), input: z.record(z.string(), z.unknown()).default({}), changeId: Id.optional() });
const StartBody = z.object({ factorId: Id });
const CheckBody = z.object({ factorId: Id, code: Answer });
const RenameBody = z.object({ name: z.string().max(200) });

const Overview = z.object({
  on: z.boolean(),
  methods: z.array(z.object({ kind: z.enum(methodKinds), available: z.boolean(), several: z.boolean(), factor: FactorView.nullable(), factors: z.array(FactorView) })),
  recovery: z.object({ left: z.number(), total: z.number(), low: z.boolean(), generatedAt: z.string() }).nullable(),
});
const BindStarted = z.object({ verificationId: z.string(), factorId: z.string(), display: z.unknown(), challenge: z.unknown(), resendIn: z.number().int() });
const Checked = z.union([
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('verified'), purpose: VerificationView.shape.purpose, twoFactorOn: z.boolean(), session: SessionInfo.optional() }),
]);
const TrustedDeviceList = z.object({
  devices: z.array(ClientView.extend({ id: z.string(), place: z.string(), ip: z.string().nullable(), trustedAt: z.number(), lastUsed: z.number(), expiresAt: z.number() })),
});

export interface TwoFactorRouteDeps {
  twoFactor: TwoFactor;
  trustedDevices: TrustedDevices;
  /** Sudo mode (SPEC X9): binding another method, recovery codes, unbinding; step-up answers come here too. */
  stepUp: StepUp;
  webSessions: WebSessions;
  sessionView: SessionView;
}

/** 二次验证设置 (A4, B, D) and the trusted browsers of 登录设备 (C9, X8); signed in. */
const twoFactorRoutes: FastifyPluginAsyncZod<TwoFactorRouteDeps> = async (app, { twoFactor, trustedDevices, stepUp, webSessions, sessionView }) => {
  app.get('/api/2fa', { schema: { response: { 200: Overview } } }, async (request) => twoFactor.overview(request.user.account.id));

  app.post('/api/2fa/bind', { schema: { body: BindBody, response: { 200: BindStarted } } }, async (request) => {
    const { kind, input, changeId } = request.body;
    const { record, account } = request.user;
    // A new method or key needs sudo mode; a change is proven by its own verified verification.
    if (await twoFactor.bindNeedsStepUp(account.id, kind, changeId)) await stepUp.require(record, 'bind_method');
    return twoFactor.beginBind(account, kind, input, requestInfo(request), request.lang, changeId);
  });

  app.post('/api/2fa/factors/:id/unbind', { schema: { params: IdParams, response: { 200: VerificationView } } }, async (request) => {
    // An unknown method is "not bound" before any step-up is asked for.
    if ((await twoFactor.overview(request.user.account.id)).methods.some((m) => m.factors.some((f) => f.id === request.params.id))) await stepUp.require(request.user.record, 'unbind_method');
    return twoFactor.beginUnbind(request.user.account, request.params.id);
  });

  app.post('/api/2fa/factors/:id/change', { schema: { params: IdParams, response: { 200: VerificationView } } }, async (request) =>
    twoFactor.beginChange(request.user.account, request.params.id),
  );

  // A security key's name (X1).
  app.post('/api/2fa/factors/:id/rename', { schema: { params: IdParams, body: RenameBody, response: { 200: Count } } }, async (request) => {
    await twoFactor.rename(request.user.account, request.params.id, request.body);
    return { count: 1 };
  });

  // Recovery codes (X2): in sudo mode a new set replaces the old one.
  app.post('/api/2fa/recovery', { schema: { response: { 200: z.object({ codes: z.array(z.string()) }) } } }, async (request) => {
    await stepUp.require(request.user.record, 'recovery_codes');
    return twoFactor.generateRecoveryCodes(request.user.account, requestInfo(request));
  });

  app.post('/api/2fa/verifications/:id/start', { schema: { params: IdParams, body: StartBody, response: { 200: Started } } }, async (request) => {
    const { account } = request.user;
    const verification = await twoFactor.verifications.get(account.id, request.params.id);
    const started = await twoFactor.start(account, verification, request.body.factorId, requestInfo(request), request.lang);
    return { display: started.display, expiresAt: started.expiresAt.toISOString(), resendIn: started.resendIn };
  });

  app.post('/api/2fa/verifications/:id/check', { schema: { params: IdParams, body: CheckBody, response: { 200: Checked } } }, async (request, reply) => {
    const { record, account } = request.user;
    const { factorId, code } = request.body;
    const verification = await twoFactor.verifications.get(account.id, request.params.id);
    if (verification.purpose === 'step_up') {
      const passed = await stepUp.check(record, account, verification, factorId, code, requestInfo(request), request.lang);
      if (passed.status === 'pending') return passed;
      webSessions.rotated(request, reply, passed);
      return { status: 'verified' as const, purpose: 'step_up' as const, twoFactorOn: true, session: await sessionView(request, reply) };
    }
    const result = await twoFactor.check(account, verification, factorId, code, requestInfo(request), request.lang);
    if (result.status === 'pending') return result;
    if (result.turnedOn) await webSessions.rotate(request, reply);
    return { status: 'verified' as const, purpose: result.purpose, twoFactorOn: result.twoFactorOn };
  });

  app.get('/api/trusted-devices', { schema: { response: { 200: TrustedDeviceList } } }, async (request) => {
    const devices = await trustedDevices.list(request.user.account.id);
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

  app.delete('/api/trusted-devices/:id', { schema: { params: IdParams, response: { 200: Count } } }, async (request) => {
    if (!(await trustedDevices.remove(request.user.account.id, request.params.id, requestInfo(request)))) throw new PosternError('trusted_device_not_found');
    return { count: 1 };
  });

  app.post('/api/trusted-devices/remove-all', { schema: { response: { 200: Count } } }, async (request) => ({
    count: await trustedDevices.removeAll(request.user.account.id, requestInfo(request)),
  }));
};

export default twoFactorRoutes;
