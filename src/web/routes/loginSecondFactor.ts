import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { completeLogin } from '../login.ts';
import { clearLoginCookie, pendingLoginCookie, requestInfo, setLoginCookie, trustedDeviceCookie } from '../secondFactor.ts';

const factorId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const StartBody = z.object({ factorId });
const CheckBody = z.object({ factorId, code: z.string().max(64).default(''), trust: z.boolean().default(false) });

/** Login step 2 (C1–C8): only the browser holding the pending-login cookie can answer it. */
export default async function loginSecondFactorRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  const pending = async (request: FastifyRequest) => {
    const verification = await ctx.twoFactor.pendingLogin(request.cookies[pendingLoginCookie]);
    const account = await ctx.accounts.repo.findById(verification.accountId);
    if (!account || account.disabled) throw new PosternError('login_step1_required');
    return { verification, account };
  };

  app.get('/api/login/second-factor', async (request) => {
    const { verification } = await pending(request);
    const view = await ctx.twoFactor.pendingLoginView(verification);
    return { status: 'second_factor', methods: view.methods, default: view.default, expiresAt: view.expiresAt };
  });

  app.post('/api/login/second-factor/start', async (request) => {
    const { factorId } = StartBody.parse(request.body);
    const { verification, account } = await pending(request);
    const started = await ctx.twoFactor.start(account, verification, factorId, requestInfo(request), request.lang);
    return { display: started.display, expiresAt: started.expiresAt.toISOString(), resendIn: started.resendIn };
  });

  app.post('/api/login/second-factor', async (request, reply) => {
    const { factorId, code, trust } = CheckBody.parse(request.body);
    const { verification, account } = await pending(request);
    const info = requestInfo(request);
    const result = await ctx.twoFactor.check(account, verification, factorId, code, info, request.lang);
    if (result.status === 'pending') return { status: 'pending' };
    if (!(await ctx.twoFactor.completeLogin(verification, info))) throw new PosternError('verification_done');
    clearLoginCookie(reply, pendingLoginCookie);
    if (trust) {
      const device = await ctx.trustedDevices.trust(account.id, info);
      setLoginCookie(ctx, reply, trustedDeviceCookie, device.token, ctx.trustedDevices.lifetimeMs);
    }
    return completeLogin(ctx, app, request, reply, account);
  });
}
