import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../../core/admin.ts';
import { requestInfo } from '../../requestInfo.ts';

/** The administrator doing a request, recorded as the actor of its events. */
export const actorOf = (request: FastifyRequest): Actor => ({ ...requestInfo(request), operator: request.user.account.address });

export const Ok = z.object({ ok: z.literal(true) });
export const ok = { ok: true as const };
