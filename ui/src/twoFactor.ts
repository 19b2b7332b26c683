// The server's reply types come from src/ as types only: nothing from there reaches the bundle.
import type { MethodKind } from '../../src/core/ports.ts';
import type { AnswerView, FactorView, VerificationView } from '../../src/core/twoFactor.ts';
import { api } from './api.ts';

export type { MethodKind } from '../../src/core/ports.ts';
export type { MethodStyle } from '../../src/core/methods.ts';
export type { VerificationView };
/** A bound method as the server lists it. */
export type Factor = FactorView;
/** A method that may answer a verification, with the seconds before it can send a code again. */
export type Answer = AnswerView;

export interface Overview {
  on: boolean;
  /** `several`: each bound factor of the kind is listed on its own (security keys, X1). */
  methods: { kind: MethodKind; available: boolean; several: boolean; factor: Factor | null; factors: Factor[] }[];
  /** Recovery codes (X2): how many of the set are left, `low` when it is time to make new ones. */
  recovery: { left: number; total: number; low: boolean; generatedAt: string } | null;
}

export interface BindStarted {
  verificationId: string;
  factorId: string;
  display: unknown;
  challenge: unknown;
  /** Seconds before a code can be sent to this destination again (sent-code methods). */
  resendIn: number;
}

/** A challenge opened: what to show, and for sent codes the server's seconds before the next. */
export interface Started {
  display: unknown;
  resendIn?: number;
}

export type CheckReply = { status: 'pending' } | { status: 'verified'; purpose: VerificationView['purpose']; twoFactorOn: boolean };

/** Starts and answers a verification: the settings API and the login step 2 differ only here. */
export interface VerificationChannel {
  start(factorId: string): Promise<Started>;
  /** `pending` while an approval is awaited; any other status means verified. */
  check(factorId: string, code: string): Promise<{ status: string }>;
}

/** A settings verification (unbind, change, bind) of the signed-in account. */
export function settingsChannel(verificationId: string): VerificationChannel {
  const base = `/api/2fa/verifications/${encodeURIComponent(verificationId)}`;
  return {
    start: (factorId) => api.post(`${base}/start`, { factorId }, { notify: false }),
    check: (factorId, code) => api.post<CheckReply>(`${base}/check`, { factorId, code }, { notify: false }),
  };
}
