import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { webAttempt } from '../deviceCookie.ts';
import { sessionInfo } from '../login.ts';
import { requireSession, useRotated } from '../plugins/session.ts';
import { requestInfo } from '../secondFactor.ts';

const PasswordBody = z.object({ password: z.string().min(1).max(1024) });

/**
 * Step-up (SPEC X9): the page asks for it when an action answers `step_up_required`, shows the same
 * verification dialog as elsewhere (or the password field with 2FA off), then repeats the action.
 * A verification answer goes to `/api/2fa/verifications/:id/check` like every other.
 */
export default async function stepUpRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  app.post('/api/step-up', async (request) => ctx.stepUp.begin(requireSession(request).account));

  app.post('/api/step-up/password', async (request, reply) => {
    const { record, account } = requireSession(request);
    const { password } = PasswordBody.parse(request.body);
    useRotated(ctx, request, reply, await ctx.stepUp.withPassword(record, account, password, webAttempt(ctx, request, account.address), requestInfo(request)));
    return { status: 'verified', session: await sessionInfo(ctx, app, request, reply) };
  });
}
