import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { completeLogin, sessionInfo } from '../login.ts';
import { loginThrottle } from '../loginThrottle.ts';
import { endSession, requireSession, rotateSession } from '../plugins/session.ts';
import { requestInfo, secondStepIfNeeded } from '../secondFactor.ts';

const password = z.string().min(1).max(1024);
const LoginBody = z.object({ address: z.string().trim().min(1).max(254), password });
const PasswordBody = z.object({ currentPassword: password, newPassword: password });

/** Sign-in, sign-out, the session the UI starts from, and the main-password change. */
export default async function authRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  const throttle = loginThrottle(ctx.limiter, ctx.clock);

  app.get('/api/session', async (request, reply) => sessionInfo(ctx, app, request, reply));

  app.post('/api/login', async (request, reply) => {
    const { address, password } = LoginBody.parse(request.body);
    await throttle.check(request.ip, address);
    const account = await ctx.accounts.checkMainPassword(address, password);
    if (!account) {
      await throttle.failed(request.ip, address);
      const known = await ctx.accounts.repo.findByAddress(address);
      if (known) await ctx.audit.record(known.id, 'login_failed', requestInfo(request), { step: 'password' });
      // One message whether or not the account exists.
      throw new PosternError('invalid_credentials');
    }
    return (await secondStepIfNeeded(ctx, request, reply, account)) ?? completeLogin(ctx, app, request, reply, account);
  });

  app.post('/api/logout', async (request, reply) => {
    await endSession(ctx, request, reply);
    return sessionInfo(ctx, app, request, reply);
  });

  app.post('/api/password', async (request, reply) => {
    const { account } = requireSession(request);
    const { currentPassword, newPassword } = PasswordBody.parse(request.body);
    await throttle.check(request.ip, account.address);
    if (!(await ctx.accounts.checkMainPassword(account.address, currentPassword))) {
      await throttle.failed(request.ip, account.address);
      throw new PosternError('wrong_current_password');
    }
    await ctx.accounts.setPassword(account, newPassword);
    await ctx.audit.record(account.id, 'password_changed', requestInfo(request));
    await ctx.trustedDevices.removeAll(account.id, requestInfo(request), 'password_changed');
    const session = await rotateSession(ctx, request, reply);
    await ctx.sessions.signOutOthers(session.record);
    return { session: await sessionInfo(ctx, app, request, reply) };
  });
}
