import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DomainPolicy } from '../../../core/adminPorts.ts';
import { auditTypes } from '../../../core/audit.ts';
import { maxGraceDays } from '../../../core/twoFactorPolicy.ts';
import { actorOf, Ok, ok } from './actor.ts';
import type { AdminRouteDeps } from './index.ts';

const DomainParams = z.object({ domain: z.string().min(1).max(253) });
const PolicyView = z.object({ twoFactor: z.enum(['off', 'required']), startsAt: z.number(), graceDays: z.number(), helpPhone: z.string(), helpEmail: z.string() });
const DomainView = z.object({ name: z.string(), accounts: z.number(), createdAt: z.number(), policy: PolicyView.nullable() });
const PolicyBody = z.object({ twoFactor: z.enum(['off', 'required']), startsAt: z.number().int().optional(), graceDays: z.number().int().min(0).max(maxGraceDays).optional() });
const HelpBody = z.object({ phone: z.string().max(64).default(''), email: z.string().max(254).default('') });
const Record = z.object({ kind: z.enum(['dkim', 'spf', 'dmarc']), name: z.string(), value: z.string() });
const Dashboard = z.object({
  domains: z.array(
    z.object({
      domain: z.string(),
      accounts: z.number(),
      active: z.number(),
      twoFactorOn: z.number(),
      byMethod: z.record(z.string(), z.number()),
      policy: z.enum(['off', 'required']),
      inGrace: z.number(),
      pastGrace: z.number(),
    }),
  ),
  exemptions: z.array(z.object({ address: z.string(), reason: z.string(), createdBy: z.string(), createdAt: z.number() })),
  lockouts: z.number(),
  recent: z.array(z.object({ id: z.string(), at: z.number(), type: z.enum(auditTypes), method: z.string().nullable(), actor: z.string().nullable(), ip: z.string().nullable() })),
});

const policyView = (p: DomainPolicy): z.infer<typeof PolicyView> => ({ twoFactor: p.twoFactor, startsAt: p.startsAt.getTime(), graceDays: p.graceDays, helpPhone: p.helpPhone, helpEmail: p.helpEmail });

/** Dashboard and domains: add, remove (refused with the account count), 2FA policy, help-desk contacts, DKIM records. */
const domainRoutes: FastifyPluginAsyncZod<AdminRouteDeps> = async (app, { admin, relayHost }) => {
  app.get('/api/admin/dashboard', { schema: { response: { 200: Dashboard } } }, async () => {
    const d = await admin.dashboard();
    return {
      domains: d.domains,
      exemptions: d.exemptions.map((e) => ({ address: e.address, reason: e.reason, createdBy: e.createdBy, createdAt: e.createdAt.getTime() })),
      lockouts: d.lockouts,
      recent: d.recent.map((e) => ({ id: e.id, at: e.at.getTime(), type: e.type as (typeof auditTypes)[number], method: typeof e.detail.method === 'string' ? e.detail.method : null, actor: e.actor, ip: e.ip })),
    };
  });

  app.get('/api/admin/domains', { schema: { response: { 200: z.object({ domains: z.array(DomainView) }) } } }, async () => ({
    domains: (await admin.domains()).map((d) => ({ name: d.name, accounts: d.accounts, createdAt: d.createdAt.getTime(), policy: d.policy && policyView(d.policy) })),
  }));

  app.post('/api/admin/domains', { schema: { body: z.object({ name: z.string().min(1).max(253) }), response: { 200: z.object({ name: z.string() }) } } }, async (request) => ({
    name: await admin.addDomain(request.body.name, actorOf(request)),
  }));

  app.delete('/api/admin/domains/:domain', { schema: { params: DomainParams, response: { 200: Ok } } }, async (request) => {
    await admin.removeDomain(request.params.domain, actorOf(request));
    return ok;
  });

  app.post('/api/admin/domains/:domain/policy', { schema: { params: DomainParams, body: PolicyBody, response: { 200: PolicyView } } }, async (request) => {
    const { twoFactor, startsAt, graceDays } = request.body;
    return policyView(await admin.setPolicy(request.params.domain, { twoFactor, graceDays, startsAt: startsAt === undefined ? undefined : new Date(startsAt) }, actorOf(request)));
  });

  app.post('/api/admin/domains/:domain/help', { schema: { params: DomainParams, body: HelpBody, response: { 200: PolicyView } } }, async (request) =>
    policyView(await admin.setHelp(request.params.domain, request.body, actorOf(request))),
  );

  // A POST: the keys are created on first use.
  app.post('/api/admin/domains/:domain/dkim', { schema: { params: DomainParams, response: { 200: z.object({ records: z.array(Record) }) } } }, async (request) => ({
    records: await admin.dkimRecords(request.params.domain, relayHost),
  }));
};

export default domainRoutes;
