import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { PosternError } from '../../core/errors.ts';
import { completeLogin, sessionInfo } from '../login.ts';
import { webAttempt } from '../deviceCookie.ts';
import { endSession, requireSession, rotateSession } from '../plugins/session.ts';
import { requestInfo, secondStepIfNeeded } from '../secondFactor.ts';

const password = z.string().min(1).max(1024);
const LoginBody = z.object({ address: z.string().trim().min(1).max(254), password });
/** `deleteAppPasswords`: the page ticks it by default when the user says the password may have leaked. */
const PasswordBody = z.object({ currentPassword: password, newPassword: password, deleteAppPasswords: z.boolean().default(false) });

/** Sign-in, sign-out, the session the UI starts from, and the main-password change. */
export default async function authRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.get('/api/session', async (request, reply) => sessionInfo(ctx, app, request, reply));

  app.post('/api/login', async (request, reply) => {
    const { address, password } = LoginBody.parse(request.body);
    const attempt = webAttempt(ctx, request, address);
    await ctx.lockout.guard(attempt);
    const account = await ctx.accounts.checkMainPassword(address, password);
    if (!account) {
      await ctx.lockout.failed(attempt, password);
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
    const { record, account } = requireSession(request);
    const { currentPassword, newPassword, deleteAppPasswords } = PasswordBody.parse(request.body);
    // With 2FA off the current password is the step-up; with it on a second factor is asked for too.
    if (await ctx.twoFactor.isOn(account.id)) await ctx.stepUp.require(record, 'change_password');
    const attempt = webAttempt(ctx, request, account.address);
    await ctx.lockout.guard(attempt);
    if (!(await ctx.accounts.checkMainPassword(account.address, currentPassword))) {
      await ctx.lockout.failed(attempt, currentPassword);
      throw new PosternError('wrong_current_password');
    }
    await ctx.accounts.setPassword(account, newPassword);
    const appPasswords = deleteAppPasswords ? await ctx.appPasswords.removeAll(account.id, 'password_changed') : null;
    await ctx.audit.record(account.id, 'password_changed', requestInfo(request), { appPasswordsDeleted: appPasswords });
    await ctx.trustedDevices.removeAll(account.id, requestInfo(request), 'password_changed');
    const session = await rotateSession(ctx, request, reply);
    await ctx.sessions.signOutOthers(session.record);
    return { session: await sessionInfo(ctx, app, request, reply) };
  });
}
