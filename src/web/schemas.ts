import { z } from 'zod';
import { methodKinds } from '../core/ports.ts';

/** The shapes several routes share; a route's own shapes stay in its file. */

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const IdParams = z.object({ id: Id });

/** How many things an action removed. */
export const Count = z.object({ count: z.number().int() });

export const FactorView = z.object({
  id: z.string(),
  kind: z.enum(methodKinds),
  style: z.enum(['code', 'app', 'approval', 'key']),
  label: z.string(),
  boundAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** A key's kind: platform, cross-platform or synced (X1). */
  hint: z.string().nullable(),
});

/** A code, or a security key's signed answer (WebAuthn JSON). */
export const Answer = z.string().max(16000).default('');

/** A method that may answer a verification, with the seconds before it can send a code again (0: now). */
export const AnswerView = FactorView.extend({ resendIn: z.number().int() });

export const VerificationView = z.object({
  id: z.string(),
  purpose: z.enum(['login', 'bind', 'unbind', 'change', 'step_up']),
  methods: z.array(AnswerView),
  default: z.string().nullable(),
  expiresAt: z.string(),
});

/** A started challenge: what to show (QR, where the code went), until when, and the seconds before another code (0: none sent). */
export const Started = z.object({ display: z.unknown(), expiresAt: z.string(), resendIn: z.number().int() });

/** What `GET /api/session` answers, and what every reply that changes the session carries. */
export const SessionInfo = z.object({
  csrfToken: z.string(),
  account: z
    .object({
      address: z.string(),
      displayName: z.string(),
      twoFactorOn: z.boolean(),
      /** Until when the session is in sudo mode (epoch ms), or null (SPEC X9). */
      stepUpUntil: z.number().nullable(),
      lastLogin: z.object({ at: z.number(), ip: z.string(), place: z.string() }).nullable(),
      isAdmin: z.boolean(),
      /** The help-desk contacts of the account's domain, when its administrators set them (F1); else those of /api/meta. */
      help: z.object({ phone: z.string(), email: z.string() }).nullable(),
      /** The domain's 2FA requirement for an account without a method (SPEC X5): days of grace left, or `enforced`. */
      twoFactorRequired: z.union([z.object({ state: z.literal('grace'), daysLeft: z.number(), endsAt: z.number() }), z.object({ state: z.literal('enforced') })]).nullable(),
    })
    .nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
