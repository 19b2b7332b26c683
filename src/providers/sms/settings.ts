import { ConfigError } from '../../config.ts';

/** Reads one provider setting from the POSTERN_* values; a missing required one is a ConfigError naming it. */
export function providerSetting(raw: Record<string, string>, name: string, provider: string, fallback?: string): string {
  const value = raw[name]?.trim() || fallback;
  if (!value) throw new ConfigError(`${name}: required when POSTERN_SMS_PROVIDER=${provider}`);
  return value;
}

export function endpointSetting(raw: Record<string, string>, name: string, provider: string, fallback: string): string {
  const value = providerSetting(raw, name, provider, fallback);
  if (!/^https?:\/\/[^/\s]+/.test(value)) throw new ConfigError(`${name}=${JSON.stringify(value)}: must be an http(s) URL; example: ${name}=${fallback}`);
  return value.replace(/\/+$/, '');
}

export function timeoutSetting(raw: Record<string, string>): number {
  const value = Number(raw.POSTERN_SMS_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`POSTERN_SMS_TIMEOUT_MS=${JSON.stringify(raw.POSTERN_SMS_TIMEOUT_MS)}: must be a positive integer; example: POSTERN_SMS_TIMEOUT_MS=10000`);
  return value;
}
