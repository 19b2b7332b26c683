import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Accounts } from '../../core/accounts.ts';
import type { LoginFlow } from '../../core/loginFlow.ts';
import type { StepUp } from '../../core/stepUp.ts';
import type { TwoFactorState } from '../../core/ports.ts';
import type { WebSessions } from '../plugins/session.ts';
import { loginRequest } from '../requestInfo.ts';
import { SessionInfo } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';

const password = z.string().min(1).max(1024);
/** `deleteAppPasswords`: the page ticks it by default when the user says the password may have leaked. */
const PasswordBody = z.object({ currentPassword: password, newPassword: password, deleteAppPasswords: z.boolean().default(false) });

export interface PasswordRouteDeps {
  accounts: Accounts;
  login: LoginFlow;
  twoFactor: TwoFactorState;
  stepUp: StepUp;
  webSessions: WebSessions;
  sessionView: SessionView;
}

/** The main-password change (signed in): this browser stays signed in with a new session id, the others are out. */
const passwordRoutes: FastifyPluginAsyncZod<PasswordRouteDeps> = async (app, { accounts, login, twoFactor, stepUp, webSessions, sessionView }) => {
  app.post('/api/password', { schema: { body: PasswordBody, response: { 200: z.object({ session: SessionInfo }) } } }, async (request, reply) => {
    const { account, record } = request.user;
    const { currentPassword, newPassword, deleteAppPasswords } = request.body;
    // With 2FA off the current password is the step-up; with it on a second factor is asked for too (SPEC X9).
    if (await twoFactor.isOn(account.id)) await stepUp.require(record, 'change_password');
    const from = loginRequest(request);
    await login.confirmPassword(account, currentPassword, from);
    await accounts.changePassword(account, newPassword, from, record, { deleteAppPasswords });
    await webSessions.rotate(request, reply);
    return { session: await sessionView(request, reply) };
  });
};

export default passwordRoutes;
