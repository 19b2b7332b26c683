import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PosternError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';

export interface HelpContacts {
  phone: string;
  email: string;
}

function helpText(help: HelpContacts): string {
  return [help.phone, help.email].filter(Boolean).join(' / ') || 'postmaster';
}

/** Every error becomes `{error: {code, message}}` with a translated message; never a stack trace. */
async function errorsPlugin(app: FastifyInstance, opts: { help: HelpContacts }) {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, code: string, params: Record<string, string | number> = {}) =>
    reply.status(status).send({ error: { code, message: t(request.lang, `errors.${code}`, { help: helpText(opts.help), ...params }), ...(Object.keys(params).length ? { params } : {}) } });

  app.setErrorHandler((error: FastifyError | PosternError, request, reply) => {
    if (error instanceof PosternError) {
      if (error.status === 429 && typeof error.params.minutes === 'number') reply.header('retry-after', String(error.params.minutes * 60));
      return send(request, reply, error.status, error.code, error.params);
    }
    // A route's zod schema refused the input (fastify-type-provider-zod).
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const path = issue.instancePath.slice(1).replaceAll('/', '.');
      return send(request, reply, 400, 'validation', { detail: `${path || error.validationContext || 'body'}: ${issue.message}` });
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) return send(request, reply, 413, 'payload_too_large');
    if (status === 415) return send(request, reply, 415, 'unsupported_media_type');
    if (status >= 400 && status < 500) return send(request, reply, status, 'bad_request');
    request.log.error({ err: error }, 'request failed');
    return send(request, reply, 500, 'internal');
  });

  app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'not_found'));
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['i18n'] });
