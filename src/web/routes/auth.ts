import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { completeLogin, sessionInfo } from '../login.ts';
import { loginThrottle } from '../loginThrottle.ts';
import { endSession, requireSession, rotateSession } from '../plugins/session.ts';

const password = z.string().min(1).max(1024);
const LoginBody = z.object({ address: z.string().trim().min(1).max(254), password });
const PasswordBody = z.object({ currentPassword: password, newPassword: password });

/** Sign-in, sign-out, the session the UI starts from, and the main-password change. */
export default async function authRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  const throttle = loginThrottle(ctx.limiter, ctx.clock);

  app.get('/api/session', async (request, reply) => sessionInfo(app, request, reply));

  app.post('/api/login', async (request, reply) => {
    const { address, password } = LoginBody.parse(request.body);
    await throttle.attempt(request.ip, address);
    const account = await ctx.accounts.checkMainPassword(address, password);
    if (!account) {
      // One message whether or not the account exists.
      throw new PosternError('invalid_credentials', 401);
    }
    await throttle.succeeded(request.ip, address);
    return completeLogin(ctx, app, request, reply, account);
  });

  app.post('/api/logout', async (request, reply) => {
    await endSession(ctx, request, reply);
    return sessionInfo(app, request, reply);
  });

  app.post('/api/password', async (request, reply) => {
    const { account } = requireSession(request);
    const { currentPassword, newPassword } = PasswordBody.parse(request.body);
    await throttle.attempt(request.ip, account.address);
    if (!(await ctx.accounts.checkMainPassword(account.address, currentPassword))) {
      throw new PosternError('wrong_current_password', 400);
    }
    await throttle.succeeded(request.ip, account.address);
    await ctx.accounts.setPassword(account, newPassword);
    const session = await rotateSession(ctx, request, reply);
    await ctx.sessions.signOutOthers(session.record);
    return { session: sessionInfo(app, request, reply) };
  });
}
