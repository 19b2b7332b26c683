import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Accounts } from '../../core/accounts.ts';
import type { LoginFlow } from '../../core/loginFlow.ts';
import type { WebSessions } from '../plugins/session.ts';
import { requestInfo } from '../requestInfo.ts';
import { SessionInfo } from '../schemas.ts';
import type { SessionView } from '../sessionView.ts';

const password = z.string().min(1).max(1024);
const PasswordBody = z.object({ currentPassword: password, newPassword: password });

export interface PasswordRouteDeps {
  accounts: Accounts;
  login: LoginFlow;
  webSessions: WebSessions;
  sessionView: SessionView;
}

/** The main-password change (signed in): this browser stays signed in with a new session id, the others are out. */
const passwordRoutes: FastifyPluginAsyncZod<PasswordRouteDeps> = async (app, { accounts, login, webSessions, sessionView }) => {
  app.post('/api/password', { schema: { body: PasswordBody, response: { 200: z.object({ session: SessionInfo }) } } }, async (request, reply) => {
    const { account, record } = request.user;
    const { currentPassword, newPassword } = request.body;
    await login.confirmPassword(account, currentPassword, request.ip);
    await accounts.changePassword(account, newPassword, requestInfo(request), record);
    await webSessions.rotate(request, reply);
    return { session: await sessionView(request, reply) };
  });
};

export default passwordRoutes;
