import type { FastifyRequest } from 'fastify';
import type { RequestInfo } from '../core/audit.ts';

/** Where a request came from, as audit events and verification mails record it. */
export function requestInfo(request: FastifyRequest): RequestInfo & { ip: string } {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 512) ?? null };
}
