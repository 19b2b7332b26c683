import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { normalizeAddress, normalizeDomain } from '../../core/addresses.ts';
import { PosternError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';
import { requireSession } from '../plugins/session.ts';
import { appleProfile, autodiscoverResponse, mailServers, thunderbirdConfig } from '../mailClientConfig.ts';

const ThunderbirdQuery = z.object({ emailaddress: z.string().max(320).optional() });
const autodiscoverBodyLimit = 16 * 1024;
const predefined: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The address in an Outlook POX request. No XML parser and no DTD: a request with a DOCTYPE or an
 * entity declaration is refused outright, so no external entity can ever be read.
 */
function autodiscoverAddress(body: unknown): string {
  const bad = () => new PosternError('autodiscover_bad_request');
  if (typeof body !== 'string' || /<!(DOCTYPE|ENTITY)/i.test(body)) throw bad();
  const match = /<(?:[\w.-]+:)?EMailAddress\s*>\s*([^<]{1,320}?)\s*<\/(?:[\w.-]+:)?EMailAddress\s*>/.exec(body);
  if (!match || /&(?!(amp|lt|gt|quot|apos);)/.test(match[1])) throw bad();
  return normalizeAddress(match[1].replace(/&(\w+);/g, (_, name: string) => predefined[name])).address;
}

/** Thunderbird asks autoconfig.<domain> or <domain>/.well-known; without an address the host names the domain. */
function thunderbirdDomain(request: FastifyRequest): string {
  const { emailaddress } = ThunderbirdQuery.parse(request.query);
  if (emailaddress) return normalizeAddress(emailaddress).domain;
  return normalizeDomain(request.hostname.replace(/^autoconfig\./i, ''));
}

/** Mail-client autoconfiguration (SPEC X7): Thunderbird, Outlook and Apple find the servers themselves. */
export default async function autoconfigRoutes(app: FastifyInstance, { ctx }: { ctx: Context }) {
  const served = async (domain: string) => {
    if (!(await ctx.accounts.repo.domainExists(domain))) throw new PosternError('autoconfig_unknown_domain', { domain });
  };

  const thunderbird = async (request: FastifyRequest) => {
    const domain = thunderbirdDomain(request);
    await served(domain);
    return thunderbirdConfig(domain, mailServers(ctx.config));
  };
  for (const url of ['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml']) {
    app.get(url, async (request, reply) => reply.type('application/xml; charset=utf-8').send(await thunderbird(request)));
  }

  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const url of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
    // Called by Outlook, not by our pages: no CSRF token to send.
    app.post(url, { bodyLimit: autodiscoverBodyLimit, config: { csrf: false } }, async (request, reply) => {
      const address = autodiscoverAddress(request.body);
      await served(address.slice(address.lastIndexOf('@') + 1));
      return reply.type('application/xml; charset=utf-8').send(autodiscoverResponse(address, mailServers(ctx.config)));
    });
  }

  app.get('/api/autoconfig/apple.mobileconfig', async (request, reply) => {
    const { account } = requireSession(request);
    const profile = appleProfile(
      {
        address: account.address,
        displayName: account.displayName,
        title: t(request.lang, 'autoconfig.profileTitle', { address: account.address }),
        description: t(request.lang, 'autoconfig.profileDescription', { address: account.address }),
      },
      mailServers(ctx.config),
    );
    return reply
      .type('application/x-apple-aspen-config')
      .header('content-disposition', `attachment; filename="${ctx.config.mailHostname.replace(/[^A-Za-z0-9.-]/g, '_')}.mobileconfig"`)
      .header('cache-control', 'no-store')
      .send(profile);
  });
}
