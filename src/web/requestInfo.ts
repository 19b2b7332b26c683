import type { FastifyRequest } from 'fastify';
import type { LoginRequest } from '../core/loginFlow.ts';
import type { RequestInfo } from '../core/audit.ts';

/** Where a request came from, as audit events and verification mails record it. */
export function requestInfo(request: FastifyRequest): RequestInfo & { ip: string } {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 512) ?? null };
}

/** OWASP device cookie (SPEC X10): makes this browser a familiar source for the lockout; sent to the API only. */
export const deviceCookie = 'postern_device';

/** A password check of this browser (sign-in, current password, step-up), with its device cookie. */
export function loginRequest(request: FastifyRequest): LoginRequest {
  return { ...requestInfo(request), deviceToken: request.cookies[deviceCookie] };
}
