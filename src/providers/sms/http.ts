import { smsFailure } from './failure.ts';

export interface ProviderReply {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

/** One HTTP request to an SMS provider, with a deadline; network failures become `sms_send_failed`. */
export async function callProvider(provider: string, url: string, init: RequestInit, timeoutMs: number): Promise<ProviderReply> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    body = await response.text();
  } catch (err) {
    const name = (err as Error).name;
    throw smsFailure(provider, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** Reads a string field from an unknown JSON value, or ''. */
export function field(value: unknown, ...path: (string | number)[]): string {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string | number, unknown>)[key];
  }
  return typeof current === 'string' || typeof current === 'number' ? String(current) : '';
}
