import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StepUp } from '../../core/stepUp.ts';
import type { WebSessions } from '../plugins/session.ts';
import { loginRequest } from '../requestInfo.ts';
import { SessionInfo, VerificationView } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';

const PasswordBody = z.object({ password: z.string().min(1).max(1024) });
const Challenge = z.union([z.object({ method: z.literal('password') }), z.object({ method: z.literal('verification'), verification: VerificationView })]);

/**
 * Step-up (SPEC X9): the page asks for it when an action answers `step_up_required`, shows the same
 * verification dialog as elsewhere (or the password field with 2FA off), then repeats the action.
 * A verification answer goes to `/api/2fa/verifications/:id/check` like every other. Signed in.
 */
const stepUpRoutes: FastifyPluginAsyncZod<{ stepUp: StepUp; webSessions: WebSessions; sessionView: SessionView }> = async (app, { stepUp, webSessions, sessionView }) => {
  app.post('/api/step-up', { schema: { response: { 200: Challenge } } }, async (request) => stepUp.begin(request.user.account));

  app.post('/api/step-up/password', { schema: { body: PasswordBody, response: { 200: z.object({ status: z.literal('verified'), session: SessionInfo }) } } }, async (request, reply) => {
    const { record, account } = request.user;
    webSessions.rotated(request, reply, await stepUp.withPassword(record, account, request.body.password, loginRequest(request)));
    return { status: 'verified' as const, session: await sessionView(request, reply) };
  });
};

export default stepUpRoutes;
