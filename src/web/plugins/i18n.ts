import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isLang, langFromHeader, type Lang } from '../../i18n/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The reader's language: the UI's `lang` cookie, else Accept-Language, else zh-CN. */
    lang: Lang;
  }
}

async function i18nPlugin(app: FastifyInstance) {
  app.decorateRequest('lang', 'zh-CN');
  app.addHook('onRequest', async (request) => {
    const cookie = /(?:^|;\s*)lang=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];
    request.lang = isLang(cookie) ? cookie : langFromHeader(request.headers['accept-language']);
  });
}

export default fp(i18nPlugin, { name: 'i18n' });
