import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Context } from '../context.ts';
import { wechatOpenOrigin } from '../providers/wechat/official.ts';
import { mailServers } from './mailClientConfig.ts';
import apiDocs from './plugins/apiDocs.ts';
import { adminOnly, authenticated } from './plugins/authenticated.ts';
import csrf from './plugins/csrf.ts';
import errors from './plugins/errors.ts';
import i18n from './plugins/i18n.ts';
import metrics from './plugins/metrics.ts';
import requestLog from './plugins/requestLog.ts';
import securityHeaders from './plugins/securityHeaders.ts';
import session, { secureCookies, webSessions } from './plugins/session.ts';
import staticUi from './plugins/staticUi.ts';
import activityRoutes from './routes/activity.ts';
import adminRoutes from './routes/admin/index.ts';
import appPasswordRoutes from './routes/appPasswords.ts';
import { appleProfileRoutes, autoconfigRoutes } from './routes/autoconfig.ts';
import deviceRoutes from './routes/devices.ts';
import devOutboxRoutes from './routes/devOutbox.ts';
import devWechatRoutes from './routes/devWechat.ts';
import healthRoutes from './routes/health.ts';
import loginRoutes from './routes/login.ts';
import metaRoutes from './routes/meta.ts';
import passwordRoutes from './routes/password.ts';
import sessionRoutes from './routes/session.ts';
import stepUpRoutes from './routes/stepUp.ts';
import twoFactorRoutes from './routes/twoFactor.ts';
import wechatRoutes from './routes/wechat.ts';
import { sessionView as makeSessionView } from './sessionView.ts';
import { uiDist } from './uiBuild.ts';
import jmap from '../protocols/jmap/plugin.ts';

/**
 * The HTTP app: plugins first (one per concern), then one route file per area, each handed only
 * the services it uses. Routes that need a signed-in user live in the authenticated scope.
 */
export async function buildApp(ctx: Context): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // X-Forwarded-For from these only; the client is the rightmost hop that is not one of them.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: 1024 * 1024,
    // Our requestLog plugin writes the one line per request.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(requestLog);
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // A mail's frame (srcdoc) inherits this policy: its remote images load only after 显示图片,
        // which its own stricter policy enforces (ui/src/pages/mail/sanitize.ts).
        imgSrc: ["'self'", 'data:', 'https:', 'http:'],
        connectSrc: ["'self'"],
        // The official WeChat QR is WeChat's own page in a frame (SPEC B3).
        frameSrc: ["'self'", ...(config.wechatProvider === 'official' ? [wechatOpenOrigin(config.raw)] : [])],
        frameAncestors: ["'none'"],
      },
    },
    hsts: !config.dev,
  });
  const secure = secureCookies(config);
  await app.register(i18n);
  await app.register(errors, { help: config.help });
  await app.register(session, { sessions: ctx.sessions, secure });
  await app.register(csrf, { pepper: ctx.secrets.pepper, publicUrl: config.publicUrl, secure });
  if (config.dev) await app.register(apiDocs);

  const sessions = webSessions(ctx.sessions, secure);
  const sessionView = makeSessionView({ csrfToken: (request, reply) => app.csrf.token(request, reply), stepUpUntil: (s) => ctx.stepUp.until(s), overview: (a) => ctx.policy.overview(a) });
  const servers = () => mailServers(config);
  const wechat = { approvals: ctx.wechat.approvals, provider: ctx.wechat.provider, accounts: ctx.accounts.repo, pepper: ctx.secrets.pepper, clock: ctx.clock };

  const database = { name: 'database' as const, kind: ctx.store.dialect, ping: () => sql`select 1`.execute(ctx.store.db) };
  const redis = config.redisUrl ? [{ name: 'redis' as const, ping: () => ctx.bus.ping() }] : [];
  await app.register(metrics, { metrics: ctx.metrics, token: config.metricsToken, dependencies: [database, ...redis], queueDepth: () => ctx.relay.depth(), sideEffectsDepth: () => ctx.effects.pending() });
  await app.register(healthRoutes, { database, others: redis });
  await app.register(metaRoutes, { help: config.help });
  await app.register(sessionRoutes, { webSessions: sessions, sessionView });
  await app.register(loginRoutes, { login: ctx.login, webSessions: sessions, sessionView, secureCookies: secure });
  await app.register(autoconfigRoutes, { domainExists: (domain) => ctx.accounts.repo.domainExists(domain), mailServers: servers });
  await app.register(wechatRoutes, wechat);
  // Its own scope: HTTP Basic with a client-specific password, or the web session with its CSRF header.
  await app.register(jmap, { ctx });
  await app.register(
    authenticated(async (scope) => {
      await scope.register(passwordRoutes, { accounts: ctx.accounts, login: ctx.login, twoFactor: ctx.twoFactor, stepUp: ctx.stepUp, webSessions: sessions, sessionView });
      await scope.register(stepUpRoutes, { stepUp: ctx.stepUp, webSessions: sessions, sessionView });
      await scope.register(twoFactorRoutes, { twoFactor: ctx.twoFactor, trustedDevices: ctx.trustedDevices, stepUp: ctx.stepUp, webSessions: sessions, sessionView });
      await scope.register(deviceRoutes, { sessions: ctx.sessions });
      await scope.register(activityRoutes, { audit: ctx.audit });
      await scope.register(appPasswordRoutes, { appPasswords: ctx.appPasswords, audit: ctx.audit, atomic: ctx.store.atomic, stepUp: ctx.stepUp, mailServers: servers });
      await scope.register(appleProfileRoutes, { mailServers: servers, mailHostname: config.mailHostname });
      await scope.register(
        adminOnly(async (admin) => {
          await admin.register(adminRoutes, { admin: ctx.admin, accounts: ctx.accounts, relayHost: config.smtpRelayUrl ? new URL(config.smtpRelayUrl).hostname : undefined });
        }, { twoFactorOn: (id) => ctx.twoFactor.isOn(id), requireStepUp: (s) => ctx.stepUp.require(s, 'admin_action') }),
      );
    }, { mustEnrol: (a) => ctx.policy.mustEnrol(a) }),
  );
  if (config.dev) {
    await app.register(devOutboxRoutes, { outbox: ctx.outbox, timeZone: config.timeZone });
    await app.register(devWechatRoutes, { ...wechat, timeZone: config.timeZone, helpEmail: config.help.email });
  }
  await app.register(staticUi, { dir: uiDist });
  return app;
}
