import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { clientProtocols, expiryChoices, type AppPasswordRecord } from '../../core/appPasswords.ts';
import { mailServers } from '../mailClientConfig.ts';
import { requireSession } from '../plugins/session.ts';

const Create = z.object({
  name: z.string().trim().min(1).max(64),
  scopes: z.array(z.enum(clientProtocols)).min(1).optional(),
  expiresInDays: z.union([z.literal(expiryChoices[0]), z.literal(expiryChoices[1]), z.literal(expiryChoices[2]), z.null()]).default(null),
  networks: z.array(z.string().max(64)).max(20).default([]),
});
const Handle = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

const from = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null });

const view = (r: AppPasswordRecord) => ({
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

/** 客户端专用密码 (E2, E3, X3): list, generate (the password is in this one reply only), delete. */
export default async function appPasswordRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  // What a mail client needs besides the password (the setup hints of the dialog).
  const servers = () => {
    const { host, imap, pop3, smtp } = mailServers(ctx.config);
    return {
      imap: { host, port: imap.ssl, security: 'ssl' },
      pop3: { host, port: pop3.ssl, security: 'ssl' },
      smtp: { host, port: smtp.ssl, security: 'ssl', starttlsPort: smtp.starttls },
    };
  };

  app.get('/api/app-passwords', async (request) => {
    const { account } = requireSession(request);
    return { appPasswords: (await ctx.appPasswords.list(account.id)).map(view), servers: servers() };
  });

  app.post('/api/app-passwords', async (request) => {
    const { record: session, account } = requireSession(request);
    const body = Create.parse(request.body);
    await ctx.stepUp.require(session, 'create_app_password');
    const { record, password } = await ctx.appPasswords.create(account.id, body.name, body.scopes, { expiresInDays: body.expiresInDays, networks: body.networks });
    await ctx.audit.record(account.id, 'app_password_created', from(request), { id: record.id, name: record.name, scopes: record.scopes.join(',') });
    return { appPassword: view(record), password, username: account.address, servers: servers() };
  });

  app.delete('/api/app-passwords/:id', async (request) => {
    const { account } = requireSession(request);
    const { id } = Handle.parse(request.params);
    const name = (await ctx.appPasswords.list(account.id)).find((p) => p.id === id)?.name ?? null;
    await ctx.appPasswords.remove(account.id, id);
    await ctx.audit.record(account.id, 'app_password_deleted', from(request), { id, name });
    return { ok: true };
  });
}
