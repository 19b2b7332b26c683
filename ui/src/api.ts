import type { ErrorCode } from '../../src/core/errors.ts';
import i18n from './i18n.ts';
import { notify } from './notify.ts';

/** A code of the server's error catalogue, or what the browser met instead. */
export type ApiErrorCode = ErrorCode | 'network' | `http_${number}`;

/** An error reply from the server (`{error:{code,message}}`) or a network failure (`code: 'network'`). */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly params: Record<string, unknown>;

  constructor(code: ApiErrorCode, status: number, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.params = params;
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};
let onStepUp: (() => Promise<boolean>) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The header that lets a state-changing request through (for uploads, which do not go through `api`). */
export function csrfHeaders(): Record<string, string> {
  return { 'x-csrf-token': csrfToken };
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * Called when an action answers `step_up_required` (SPEC X9): shows the verification dialog and
 * resolves true once the user verified, false when they closed it. The action is then sent again.
 */
export function setStepUpHandler(handler: (() => Promise<boolean>) | null): void {
  onStepUp = handler;
}

export interface RequestOptions {
  /** false: the caller shows the error itself (e.g. inline in a form) instead of a notification. */
  notify?: boolean;
}

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
}

async function toError(response: Response): Promise<ApiError> {
  const payload = (await response.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string; params?: Record<string, unknown> } } | null;
  const error = payload?.error;
  return new ApiError(error?.code ?? `http_${response.status}`, response.status, error?.message ?? i18n.t('errors.title'), error?.params);
}

async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}, steppedUp = false): Promise<T> {
  let error: ApiError;
  try {
    let response = await send(method, path, body);
    if (response.status === 403 && method !== 'GET' && (await response.clone().json().catch(() => null))?.error?.code === 'csrf') {
      // The token went stale (session rotated in another tab): fetch the current one and retry once.
      const session = (await (await send('GET', '/api/session', undefined)).json()) as { csrfToken?: string };
      setCsrfToken(session.csrfToken ?? '');
      response = await send(method, path, body);
    }
    if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
    error = await toError(response);
  } catch {
    error = new ApiError('network', 0, i18n.t('errors.network'));
  }
  if (error.code === 'step_up_required' && onStepUp && !steppedUp) {
    if (await onStepUp()) return request<T>(method, path, body, options, true);
  } else if (error.status === 401 && error.code === 'unauthenticated') {
    notify('error', i18n.t('errors.sessionExpired'));
    onUnauthenticated();
  } else if (options.notify !== false) {
    notify('error', error.message, i18n.t('errors.title'));
  }
  throw error;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) => request<T>('POST', path, body, options),
  del: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
