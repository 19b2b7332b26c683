import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PosternError } from '../../core/errors.ts';
import { errorMessage } from '../../i18n/index.ts';

export interface HelpContacts {
  phone: string;
  email: string;
}

function helpText(help: HelpContacts): string {
  return [help.phone, help.email].filter(Boolean).join(' / ') || 'postmaster';
}

/** Every error becomes `{error: {code, message}}` with a translated message; never a stack trace. */
async function errorsPlugin(app: FastifyInstance, opts: { help: HelpContacts }) {
  // Framework errors keep their own 4xx status under the catalogue's `bad_request`.
  const send = (request: FastifyRequest, reply: FastifyReply, error: PosternError, status = error.status) => {
    const { code, params } = error;
    return reply.status(status).send({ error: { code, message: errorMessage(request.lang, error, helpText(opts.help)), ...(Object.keys(params).length ? { params } : {}) } });
  };

  app.setErrorHandler((error: FastifyError | PosternError, request, reply) => {
    if (error instanceof PosternError) {
      if (error.status === 429 && typeof error.params.minutes === 'number') reply.header('retry-after', String(error.params.minutes * 60));
      return send(request, reply, error);
    }
    // A route's zod schema refused the input (fastify-type-provider-zod).
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const path = issue.instancePath.slice(1).replaceAll('/', '.');
      return send(request, reply, new PosternError('validation', { detail: `${path || error.validationContext || 'body'}: ${issue.message}` }));
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) return send(request, reply, new PosternError('payload_too_large'));
    if (status === 415) return send(request, reply, new PosternError('unsupported_media_type'));
    if (status >= 400 && status < 500) return send(request, reply, new PosternError('bad_request'), status);
    request.log.error({ err: error }, 'request failed');
    return send(request, reply, new PosternError('internal'));
  });

  app.setNotFoundHandler((request, reply) => send(request, reply, new PosternError('not_found')));
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['i18n'] });
