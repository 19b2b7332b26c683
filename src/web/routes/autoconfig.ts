import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeAddress, normalizeDomain } from '../../core/addresses.ts';
import { PosternError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';
import { appleProfile, autodiscoverResponse, thunderbirdConfig, type MailServers } from '../mailClientConfig.ts';

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
function thunderbirdDomain(emailaddress: string | undefined, hostname: string): string {
  if (emailaddress) return normalizeAddress(emailaddress).domain;
  return normalizeDomain(hostname.replace(/^autoconfig\./i, ''));
}

export interface AutoconfigRouteDeps {
  domainExists(domain: string): Promise<boolean>;
  /** Read per request: servers on port 0 learn their port at start. */
  mailServers(): MailServers;
}

/** Mail-client autoconfiguration (SPEC X7): Thunderbird and Outlook find the servers themselves, before any sign-in. */
export const autoconfigRoutes: FastifyPluginAsyncZod<AutoconfigRouteDeps> = async (app, { domainExists, mailServers }) => {
  const served = async (domain: string) => {
    if (!(await domainExists(domain))) throw new PosternError('autoconfig_unknown_domain', { domain });
  };

  for (const url of ['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml']) {
    app.get(url, { schema: { querystring: ThunderbirdQuery } }, async (request, reply) => {
      const domain = thunderbirdDomain(request.query.emailaddress, request.hostname);
      await served(domain);
      return reply.type('application/xml; charset=utf-8').send(thunderbirdConfig(domain, mailServers()));
    });
  }

  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const url of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
    // Called by Outlook, not by our pages: no CSRF token to send.
    app.post(url, { bodyLimit: autodiscoverBodyLimit, config: { csrf: false } }, async (request, reply) => {
      const address = autodiscoverAddress(request.body);
      await served(address.slice(address.lastIndexOf('@') + 1));
      return reply.type('application/xml; charset=utf-8').send(autodiscoverResponse(address, mailServers()));
    });
  }
};

/** The Apple configuration profile of the signed-in account (SPEC X7): it names the account, so it needs the session. */
export const appleProfileRoutes: FastifyPluginAsyncZod<{ mailServers(): MailServers; mailHostname: string }> = async (app, { mailServers, mailHostname }) => {
  app.get('/api/autoconfig/apple.mobileconfig', async (request, reply) => {
    const { account } = request.user;
    const profile = appleProfile(
      {
        address: account.address,
        displayName: account.displayName,
        title: t(request.lang, 'autoconfig.profileTitle', { address: account.address }),
        description: t(request.lang, 'autoconfig.profileDescription', { address: account.address }),
      },
      mailServers(),
    );
    return reply
      .type('application/x-apple-aspen-config')
      .header('content-disposition', `attachment; filename="${mailHostname.replace(/[^A-Za-z0-9.-]/g, '_')}.mobileconfig"`)
      .header('cache-control', 'no-store')
      .send(profile);
  });
};
