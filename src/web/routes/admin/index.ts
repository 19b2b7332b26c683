import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Accounts } from '../../../core/accounts.ts';
import type { Admin } from '../../../core/admin.ts';
import accountRoutes from './accounts.ts';
import auditRoutes from './audit.ts';
import domainRoutes from './domains.ts';

export interface AdminRouteDeps {
  admin: Admin;
  accounts: Accounts;
  /** The relay's host, named in the suggested SPF record. */
  relayHost: string | undefined;
}

/** The admin console's API, `/api/admin/*` (SPEC X5); app.ts registers it inside the admin scope. */
const adminRoutes: FastifyPluginAsyncZod<AdminRouteDeps> = async (app, deps) => {
  await app.register(domainRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(auditRoutes, deps);
};

export default adminRoutes;
