import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountRecord } from '../../../core/ports.ts';
import { PosternError } from '../../../core/errors.ts';
import { maxPageSize } from '../../../core/admin.ts';
import { maxResetNoteLength } from '../../../core/helpDesk.ts';
import { describePlace } from '../../../providers/geoip.ts';
import { FactorView, IdParams } from '../../schemas.ts';
import { ClientView, describeClient } from '../devices.ts';
import { actorOf, Ok, ok } from './actor.ts';
import type { AdminRouteDeps } from './index.ts';

const mib = 1024 * 1024;
const AccountView = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  quotaMiB: z.number(),
  createdAt: z.number(),
  lastLoginAt: z.number().nullable(),
});
const Search = z.object({ q: z.string().max(254).default(''), domain: z.string().max(253).optional(), after: z.string().max(254).optional(), limit: z.coerce.number().int().min(1).max(maxPageSize).default(50) });
const Create = z.object({ address: z.string().min(3).max(254), displayName: z.string().max(128).optional(), isAdmin: z.boolean().default(false), quotaMiB: z.number().int().positive().optional() });
const Standing = z.object({ state: z.enum(['off', 'exempt', 'grace', 'enforced']), endsAt: z.number().nullable(), daysLeft: z.number().nullable() });
const Details = z.object({
  account: AccountView,
  twoFactorOn: z.boolean(),
  methods: z.array(FactorView),
  recoveryCodesLeft: z.number().nullable(),
  aliases: z.array(z.string()),
  standing: Standing,
  exemption: z.object({ reason: z.string(), createdBy: z.string(), createdAt: z.number() }).nullable(),
  trustedDevices: z.array(ClientView.extend({ id: z.string(), place: z.string(), createdAt: z.number(), lastUsedAt: z.number(), expiresAt: z.number() })),
  appPasswords: z.array(z.object({ id: z.string(), name: z.string(), scopes: z.array(z.string()), createdAt: z.number(), lastUsedAt: z.number().nullable(), lastUsedIp: z.string().nullable() })),
  sessions: z.array(ClientView.extend({ id: z.string(), place: z.string(), ip: z.string(), createdAt: z.number(), lastSeenAt: z.number() })),
});
const OneTime = z.object({ account: AccountView, password: z.string() });
const AliasParams = IdParams.extend({ address: z.string().min(3).max(254) });

const accountView = (a: AccountRecord): z.infer<typeof AccountView> => ({
  id: a.id,
  address: a.address,
  displayName: a.displayName,
  isAdmin: a.isAdmin,
  disabled: a.disabled,
  quotaMiB: Math.round(a.quotaBytes / mib),
  createdAt: a.createdAt.getTime(),
  lastLoginAt: a.lastLoginAt?.getTime() ?? null,
});

/** Accounts: search and page, create with a one-time password, and every action on one account. */
const accountRoutes: FastifyPluginAsyncZod<AdminRouteDeps> = async (app, { admin, accounts }) => {
  const target = async (id: string) => {
    const account = await accounts.repo.findById(id);
    if (!account) throw new PosternError('unknown_account', { address: id });
    return account;
  };

  app.get('/api/admin/accounts', { schema: { querystring: Search, response: { 200: z.object({ accounts: z.array(AccountView), next: z.string().nullable() }) } } }, async (request) => {
    const { q, domain, after, limit } = request.query;
    const page = await admin.search({ prefix: q, domain, after, limit: limit + 1 });
    const shown = page.slice(0, limit);
    return { accounts: shown.map(accountView), next: page.length > limit ? shown[shown.length - 1].address : null };
  });

  app.post('/api/admin/accounts', { schema: { body: Create, response: { 200: OneTime } } }, async (request) => {
    const { address, displayName, isAdmin, quotaMiB } = request.body;
    const created = await admin.createAccount({ address, displayName, isAdmin, quotaBytes: quotaMiB === undefined ? undefined : quotaMiB * mib }, actorOf(request));
    return { account: accountView(created.account), password: created.password };
  });

  app.get('/api/admin/accounts/:id', { schema: { params: IdParams, response: { 200: Details } } }, async (request) => {
    const d = await admin.details(await target(request.params.id));
    const { standing } = d;
    return {
      account: accountView(d.account),
      twoFactorOn: d.overview.on,
      methods: d.overview.methods.flatMap((m) => (m.factor ? [m.factor] : [])),
      recoveryCodesLeft: d.overview.recovery?.left ?? null,
      aliases: d.aliases.map((a) => a.address),
      standing: {
        state: standing.state,
        endsAt: standing.state === 'grace' || standing.state === 'enforced' ? standing.endsAt.getTime() : null,
        daysLeft: standing.state === 'grace' ? standing.daysLeft : null,
      },
      exemption: d.exemption ? { reason: d.exemption.reason, createdBy: d.exemption.createdBy, createdAt: d.exemption.createdAt.getTime() } : null,
      trustedDevices: d.trustedDevices.map((t) => ({ id: t.id, ...describeClient(t.userAgent ?? ''), place: t.ip ? describePlace(t.ip, request.lang) : '', createdAt: t.createdAt.getTime(), lastUsedAt: t.lastUsedAt.getTime(), expiresAt: t.expiresAt.getTime() })),
      appPasswords: d.appPasswords.map((p) => ({ id: p.id, name: p.name, scopes: p.scopes, createdAt: p.createdAt.getTime(), lastUsedAt: p.lastUsedAt?.getTime() ?? null, lastUsedIp: p.lastUsedIp })),
      sessions: d.sessions.map((s) => ({ id: s.handle, ...describeClient(s.userAgent), place: describePlace(s.ip, request.lang), ip: s.ip, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt })),
    };
  });

  app.post('/api/admin/accounts/:id/disabled', { schema: { params: IdParams, body: z.object({ disabled: z.boolean() }), response: { 200: Ok } } }, async (request) => {
    await admin.setDisabled(await target(request.params.id), request.body.disabled, actorOf(request));
    return ok;
  });

  app.post('/api/admin/accounts/:id/quota', { schema: { params: IdParams, body: z.object({ quotaMiB: z.number().int().positive() }), response: { 200: Ok } } }, async (request) => {
    await admin.setQuota(await target(request.params.id), request.body.quotaMiB * mib, actorOf(request));
    return ok;
  });

  app.post('/api/admin/accounts/:id/admin', { schema: { params: IdParams, body: z.object({ isAdmin: z.boolean() }), response: { 200: Ok } } }, async (request) => {
    await admin.setAdmin(await target(request.params.id), request.body.isAdmin, actorOf(request), request.user.account);
    return ok;
  });

  app.post('/api/admin/accounts/:id/password', { schema: { params: IdParams, response: { 200: OneTime } } }, async (request) => {
    const account = await target(request.params.id);
    return { account: accountView(account), password: await admin.resetPassword(account, actorOf(request)) };
  });

  const ResetBody = z.object({ reason: z.string().max(maxResetNoteLength), keepAppPasswords: z.boolean().default(false) });
  const ResetDone = z.object({ methods: z.array(z.string()), trustedDevices: z.number(), sessions: z.number(), appPasswords: z.number().nullable() });
  app.post('/api/admin/accounts/:id/reset-2fa', { schema: { params: IdParams, body: ResetBody, response: { 200: ResetDone } } }, async (request) =>
    admin.reset2fa(await target(request.params.id), request.body.reason, actorOf(request), request.body.keepAppPasswords),
  );

  app.post('/api/admin/accounts/:id/sign-out', { schema: { params: IdParams, response: { 200: z.object({ sessions: z.number() }) } } }, async (request) =>
    admin.signOutEverywhere(await target(request.params.id), actorOf(request)),
  );

  app.post('/api/admin/accounts/:id/aliases', { schema: { params: IdParams, body: z.object({ address: z.string().min(3).max(254) }), response: { 200: z.object({ address: z.string() }) } } }, async (request) => ({
    address: await admin.addAlias(await target(request.params.id), request.body.address, actorOf(request)),
  }));

  app.delete('/api/admin/accounts/:id/aliases/:address', { schema: { params: AliasParams, response: { 200: Ok } } }, async (request) => {
    await admin.removeAlias(await target(request.params.id), request.params.address, actorOf(request));
    return ok;
  });

  app.post('/api/admin/accounts/:id/exemption', { schema: { params: IdParams, body: z.object({ reason: z.string().max(500) }), response: { 200: Ok } } }, async (request) => {
    await admin.exempt(await target(request.params.id), request.body.reason, actorOf(request));
    return ok;
  });

  app.delete('/api/admin/accounts/:id/exemption', { schema: { params: IdParams, response: { 200: Ok } } }, async (request) => {
    await admin.unexempt(await target(request.params.id), actorOf(request));
    return ok;
  });
};

export default accountRoutes;
