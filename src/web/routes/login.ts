import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LoginFlow, LoginRequest, LoginStep } from '../../core/loginFlow.ts';
import { deviceCookieDays } from '../../core/deviceCookies.ts';
import { verificationLimits } from '../../core/verifications.ts';
import type { WebSessions } from '../plugins/session.ts';
import { deviceCookie, loginRequest, requestInfo } from '../requestInfo.ts';
import { Answer, AnswerView, Id, SessionInfo, Started } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';

/** The pending login between the two steps (C1): sent only to the login API, gone after 10 minutes. */
const pendingLoginCookie = 'postern_2fa';
/** 同设备登录免二次验证 (C7): read only by the login API. */
const trustedDeviceCookie = 'postern_trust';
const loginPath = '/api/login';
const deviceCookieMaxAge = deviceCookieDays * 86_400;

const password = z.string().min(1).max(1024);
const LoginBody = z.object({ address: z.string().trim().min(1).max(254), password });
const StartBody = z.object({ factorId: Id });
const AnswerBody = z.object({ factorId: Id, code: Answer, trust: z.boolean().default(false) });
const PasskeyBody = z.object({ response: Answer });

/** Step 2 is due for `address`, with these methods. */
const SecondFactorReply = z.object({ status: z.literal('second_factor'), address: z.string(), methods: z.array(AnswerView), default: z.string().nullable(), expiresAt: z.string() });
const SignedIn = z.object({ status: z.literal('ok'), session: SessionInfo });
/** Signed in, but the domain requires 2FA and its grace is over: the session may only bind a first method (SPEC X5). */
const MustEnrol = z.object({ status: z.literal('enrolment_required'), session: SessionInfo });
/** `POST /api/login` answers `ok` once the user is signed in, `second_factor` when step 2 is due, `enrolment_required` when a method must be bound first. */
const LoginReply = z.union([SignedIn, MustEnrol, SecondFactorReply]);

export interface LoginRouteDeps {
  login: LoginFlow;
  webSessions: WebSessions;
  sessionView: SessionView;
  secureCookies: boolean;
}

/** Sign-in, both steps (C1–C8): the web's adapter of core/loginFlow.ts, cookies in and out. */
const loginRoutes: FastifyPluginAsyncZod<LoginRouteDeps> = async (app, { login, webSessions, sessionView, secureCookies }) => {
  const setLoginCookie = (reply: FastifyReply, name: string, value: string, maxAgeMs: number) =>
    reply.setCookie(name, value, { path: loginPath, httpOnly: true, sameSite: 'strict', secure: secureCookies, maxAge: Math.floor(maxAgeMs / 1000) });

  const from = (request: FastifyRequest): LoginRequest => ({ ...loginRequest(request), trustedDeviceToken: request.cookies[trustedDeviceCookie], replacing: request.session?.record });

  async function replyTo(request: FastifyRequest, reply: FastifyReply, step: LoginStep): Promise<z.infer<typeof LoginReply>> {
    if (step.state === 'second_factor_pending') {
      setLoginCookie(reply, pendingLoginCookie, step.token, verificationLimits.ttlMs);
      return { status: 'second_factor', address: step.address, methods: step.view.methods, default: step.view.default, expiresAt: step.view.expiresAt };
    }
    if (request.cookies[pendingLoginCookie]) reply.clearCookie(pendingLoginCookie, { path: loginPath });
    if (step.trustedDevice) setLoginCookie(reply, trustedDeviceCookie, step.trustedDevice.token, step.trustedDevice.maxAgeMs);
    reply.setCookie(deviceCookie, step.deviceToken, { path: '/api/', httpOnly: true, sameSite: 'strict', secure: secureCookies, maxAge: deviceCookieMaxAge });
    webSessions.signIn(request, reply, step);
    return { status: step.state === 'enrolment_required' ? 'enrolment_required' : 'ok', session: await sessionView(request, reply, step.overview) };
  }

  app.post('/api/login', { schema: { body: LoginBody, response: { 200: LoginReply } } }, async (request, reply) => {
    const { address, password } = request.body;
    return replyTo(request, reply, await login.password(address, password, from(request)));
  });

  app.get('/api/login/second-factor', { schema: { response: { 200: SecondFactorReply } } }, async (request) => {
    const { view, address } = await login.view(request.cookies[pendingLoginCookie]);
    return { status: 'second_factor' as const, address, methods: view.methods, default: view.default, expiresAt: view.expiresAt };
  });

  app.post('/api/login/second-factor/start', { schema: { body: StartBody, response: { 200: Started } } }, async (request) => {
    const started = await login.start(request.cookies[pendingLoginCookie], request.body.factorId, requestInfo(request), request.lang);
    return { display: started.display, expiresAt: started.expiresAt.toISOString(), resendIn: started.resendIn };
  });

  app.post('/api/login/second-factor', { schema: { body: AnswerBody, response: { 200: z.union([LoginReply, z.object({ status: z.literal('pending') })]) } } }, async (request, reply) => {
    const step = await login.answer(request.cookies[pendingLoginCookie], request.body, from(request), request.lang);
    if (step.state !== 'done') return { status: 'pending' as const };
    return replyTo(request, reply, step);
  });

  // 使用通行密钥登录 (X1): the browser's WebAuthn options, then its signed answer signs in with no password.
  app.post('/api/login/passkey/options', { schema: { response: { 200: z.object({ options: z.unknown() }) } } }, async (request) => ({ options: await login.passkeyOptions(requestInfo(request)) }));

  app.post('/api/login/passkey', { schema: { body: PasskeyBody, response: { 200: SignedIn } } }, async (request, reply) => {
    const step = await login.passkey(request.body.response, from(request), request.lang);
    return replyTo(request, reply, step) as Promise<z.infer<typeof SignedIn>>;
  });
};

export default loginRoutes;
