import { api } from './api.ts';

export type MethodKind = 'backupEmail' | 'wechat' | 'sms' | 'totp' | 'webauthn';
/** code: a code is sent (button "send code"); app: the user types an app's code; approval: QR, then wait. */
export type MethodStyle = 'code' | 'app' | 'approval';

/** A bound method as the server lists it. */
export interface Factor {
  id: string;
  kind: MethodKind;
  style: MethodStyle;
  label: string;
  boundAt: string;
  lastUsedAt: string | null;
}

/** A verification to answer: the methods that may answer it, the one to show first. */
export interface VerificationView {
  id: string;
  purpose: 'login' | 'bind' | 'unbind' | 'change' | 'step_up';
  methods: Factor[];
  default: string | null;
  expiresAt: string;
}

export interface Overview {
  on: boolean;
  methods: { kind: MethodKind; available: boolean; factor: Factor | null }[];
}

export interface BindStarted {
  verificationId: string;
  factorId: string;
  display: unknown;
  challenge: unknown;
}

export type CheckReply = { status: 'pending' } | { status: 'verified'; purpose: VerificationView['purpose']; twoFactorOn: boolean };

/** Starts and answers a verification: the settings API and the login step 2 differ only here. */
export interface VerificationChannel {
  start(factorId: string): Promise<{ display: unknown }>;
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
