import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Context } from '../context.ts';
import csrf from './plugins/csrf.ts';
import errors from './plugins/errors.ts';
import i18n from './plugins/i18n.ts';
import requestLog from './plugins/requestLog.ts';
import securityHeaders from './plugins/securityHeaders.ts';
import session from './plugins/session.ts';
import staticUi from './plugins/staticUi.ts';
import activityRoutes from './routes/activity.ts';
import appPasswordRoutes from './routes/appPasswords.ts';
import authRoutes from './routes/auth.ts';
import autoconfigRoutes from './routes/autoconfig.ts';
import deviceRoutes from './routes/devices.ts';
import devOutboxRoutes from './routes/devOutbox.ts';
import devWechatRoutes from './routes/devWechat.ts';
import healthRoutes from './routes/health.ts';
import loginSecondFactorRoutes from './routes/loginSecondFactor.ts';
import metaRoutes from './routes/meta.ts';
import twoFactorRoutes from './routes/twoFactor.ts';
import wechatRoutes from './routes/wechat.ts';
import { uiDist } from './uiBuild.ts';
import { wechatOpenOrigin } from '../providers/wechat/official.ts';

/** The HTTP app: plugins first (one per concern), then one route file per area. */
export async function buildApp(ctx: Context): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Our requestLog plugin writes the one line per request.
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(requestLog);
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The official WeChat QR is WeChat's own page in a frame (SPEC B3).
        frameSrc: ["'self'", ...(ctx.config.wechatProvider === 'official' ? [wechatOpenOrigin(ctx.config.raw)] : [])],
        frameAncestors: ["'none'"],
      },
    },
    hsts: !ctx.config.dev,
  });
  await app.register(i18n);
  await app.register(errors, { help: ctx.config.help });
  await app.register(session, { ctx });
  await app.register(csrf, { ctx });
  await app.register(healthRoutes, { ctx });
  await app.register(metaRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(loginSecondFactorRoutes, { ctx });
  await app.register(twoFactorRoutes, { ctx });
  await app.register(deviceRoutes, { ctx });
  await app.register(activityRoutes, { ctx });
  await app.register(appPasswordRoutes, { ctx });
  await app.register(autoconfigRoutes, { ctx });
  await app.register(wechatRoutes, { ctx });
  if (ctx.config.dev) await app.register(devOutboxRoutes, { ctx });
  if (ctx.config.dev) await app.register(devWechatRoutes, { ctx });
  await app.register(staticUi, { dir: uiDist });
  return app;
}
