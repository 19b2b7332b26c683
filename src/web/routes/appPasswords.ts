import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientProtocols, expiryChoices, type AppPasswordRecord, type AppPasswords } from '../../core/appPasswords.ts';
import type { Audit } from '../../core/audit.ts';
import type { StepUp } from '../../core/stepUp.ts';
import type { Atomic } from '../../core/ports.ts';
import type { MailServers } from '../mailClientConfig.ts';
import { requestInfo } from '../requestInfo.ts';

const Create = z.object({
  name: z.string().trim().min(1).max(64),
  scopes: z.array(z.enum(clientProtocols)).min(1).optional(),
  /** Days until it is refused (SPEC X11); null: never. */
  expiresInDays: z.union([z.literal(expiryChoices[0]), z.literal(expiryChoices[1]), z.literal(expiryChoices[2]), z.null()]).default(null),
  /** CIDR blocks it may be used from; empty: anywhere. */
  networks: z.array(z.string().max(64)).max(20).default([]),
});
const Handle = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

const AppPasswordView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(clientProtocols)),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  lastUsedProtocol: z.enum(clientProtocols).nullable(),
  lastUsedIp: z.string().nullable(),
  expiresAt: z.number().nullable(),
  networks: z.array(z.string()),
});
const Server = z.object({ host: z.string(), port: z.number(), security: z.literal('ssl') });
/** What a mail client needs besides the password (the setup hints of the dialog). */
const Servers = z.object({ imap: Server, pop3: Server, smtp: Server.extend({ starttlsPort: z.number() }) });

const view = (r: AppPasswordRecord): z.infer<typeof AppPasswordView> => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  createdAt: r.createdAt.getTime(),
  lastUsedAt: r.lastUsedAt?.getTime() ?? null,
  lastUsedProtocol: r.lastUsedProtocol,
  lastUsedIp: r.lastUsedIp,
  expiresAt: r.expiresAt?.getTime() ?? null,
  networks: r.networks,
});

export interface AppPasswordRouteDeps {
  appPasswords: AppPasswords;
  audit: Audit;
  /** The new password and its event (whose notice is written with it) commit together. */
  atomic: Atomic;
  /** Creating one needs sudo mode (SPEC X9): a signed-in session alone does not mint mail access. */
  stepUp: StepUp;
  /** Read per request: servers on port 0 learn their port at start. */
  mailServers(): MailServers;
}

/** 客户端专用密码 (E2, E3, X3): list, generate (the password is in this one reply only), delete. Signed in. */
const appPasswordRoutes: FastifyPluginAsyncZod<AppPasswordRouteDeps> = async (app, { appPasswords, audit, atomic, stepUp, mailServers }) => {
  const servers = (): z.infer<typeof Servers> => {
    const { host, imap, pop3, smtp } = mailServers();
    return {
      imap: { host, port: imap.ssl, security: 'ssl' },
      pop3: { host, port: pop3.ssl, security: 'ssl' },
      smtp: { host, port: smtp.ssl, security: 'ssl', starttlsPort: smtp.starttls },
    };
  };

  app.get('/api/app-passwords', { schema: { response: { 200: z.object({ appPasswords: z.array(AppPasswordView), servers: Servers }) } } }, async (request) => ({
    appPasswords: (await appPasswords.list(request.user.account.id)).map(view),
    servers: servers(),
  }));

  const Created = z.object({ appPassword: AppPasswordView, password: z.string(), username: z.string(), servers: Servers });
  app.post('/api/app-passwords', { schema: { body: Create, response: { 200: Created } } }, async (request) => {
    const { account, record: session } = request.user;
    const { name, scopes, expiresInDays, networks } = request.body;
    await stepUp.require(session, 'create_app_password');
    const { record, password } = await atomic.run(async () => {
      const created = await appPasswords.create(account.id, name, scopes, { expiresInDays, networks });
      await audit.record(account.id, 'app_password_created', requestInfo(request), { id: created.record.id, name: created.record.name, scopes: created.record.scopes.join(',') });
      return created;
    });
    return { appPassword: view(record), password, username: account.address, servers: servers() };
  });

  app.delete('/api/app-passwords/:id', { schema: { params: Handle, response: { 200: z.object({ ok: z.literal(true) }) } } }, async (request) => {
    const { account } = request.user;
    const { id } = request.params;
    const name = (await appPasswords.list(account.id)).find((p) => p.id === id)?.name ?? null;
    await appPasswords.remove(account.id, id);
    await audit.record(account.id, 'app_password_deleted', requestInfo(request), { id, name });
    return { ok: true as const };
  });
};

export default appPasswordRoutes;
