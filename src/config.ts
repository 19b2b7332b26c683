import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultLockoutLimits, type LockoutLimits } from './core/lockout.ts';
import { relyingPartyOf, type RelyingParty } from './core/webauthn.ts';

/** A bad setting: the message is one line naming the variable, the problem and an example. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().positive();

/** Every setting: its zod schema and an example shown when a value is wrong. */
const settings = {
  POSTERN_ENV: { schema: z.enum(['development', 'production']), example: 'production' },
  POSTERN_CONFIG_FILE: { schema: z.string().min(1), example: '/etc/postern/config.json' },
  POSTERN_DATA_DIR: { schema: z.string().min(1), example: './data' },
  POSTERN_DATABASE_URL: { schema: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://'), example: 'postgres://postern@127.0.0.1:5432/postern' },
  POSTERN_REDIS_URL: { schema: z.string().regex(/^rediss?:\/\//, 'must start with redis://'), example: 'redis://127.0.0.1:6379/0' },
  POSTERN_HOST: { schema: z.string().min(1), example: '0.0.0.0' },
  POSTERN_PUBLIC_URL: { schema: z.url(), example: 'https://mail.example.edu' },
  POSTERN_MAIL_HOSTNAME: { schema: z.string().min(1), example: 'mail.example.edu' },
  POSTERN_WEBAUTHN_RP_ID: { schema: z.string().min(1), example: 'example.edu' },
  POSTERN_WEB_PORT: { schema: port, example: '8080' },
  POSTERN_SMTP_PORT: { schema: port, example: '25' },
  POSTERN_SUBMISSION_PORT: { schema: port, example: '587' },
  POSTERN_SMTPS_PORT: { schema: port, example: '465' },
  POSTERN_IMAP_PORT: { schema: port, example: '143' },
  POSTERN_IMAPS_PORT: { schema: port, example: '993' },
  POSTERN_POP3_PORT: { schema: port, example: '110' },
  POSTERN_POP3S_PORT: { schema: port, example: '995' },
  POSTERN_TLS_CERT: { schema: z.string().min(1), example: '/etc/postern/tls/fullchain.pem' },
  POSTERN_TLS_KEY: { schema: z.string().min(1), example: '/etc/postern/tls/privkey.pem' },
  POSTERN_TRUSTED_PROXIES: { schema: z.string().refine(validNetworks, 'must be IP addresses or CIDR blocks separated by commas'), example: '10.0.0.5,10.0.1.0/24' },
  POSTERN_TRUST_PROXY: { schema: z.string().refine(() => false, 'is replaced by POSTERN_TRUSTED_PROXIES, the addresses of your proxies'), example: 'POSTERN_TRUSTED_PROXIES=10.0.0.5' },
  POSTERN_METRICS_TOKEN: { schema: z.string().min(16, 'must be at least 16 characters'), example: '<a long random string>' },
  POSTERN_LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), example: 'info' },
  POSTERN_TIME_ZONE: { schema: z.string().refine(validTimeZone, 'is not a known IANA time zone'), example: 'Asia/Shanghai' },
  POSTERN_HELP_PHONE: { schema: z.string().max(64), example: '023-65678114' },
  POSTERN_HELP_EMAIL: { schema: z.email(), example: 'help@example.edu' },
  POSTERN_SESSION_IDLE_MINUTES: { schema: positive, example: '30' },
  POSTERN_SESSION_MAX_HOURS: { schema: positive, example: '12' },
  POSTERN_TRUSTED_DEVICE_DAYS: { schema: positive, example: '30' },
  POSTERN_MAX_MESSAGE_BYTES: { schema: positive, example: '26214400' },
  POSTERN_MAIL_CONNECTIONS_PER_IP: { schema: positive, example: '1000' },
  POSTERN_MAIL_CONNECTIONS_PER_USER_IP: { schema: positive, example: '20' },
  POSTERN_MAIL_AUTH_FAILURE_DELAY_MS: { schema: z.coerce.number().int().min(0).max(60_000), example: '2000' },
  POSTERN_LOCKOUT_WINDOW_MINUTES: { schema: positive, example: '15' },
  POSTERN_LOCKOUT_PER_IP: { schema: positive, example: '50' },
  POSTERN_LOCKOUT_PER_ACCOUNT_IP: { schema: positive, example: '10' },
  POSTERN_LOCKOUT_PER_ACCOUNT_WEB: { schema: positive, example: '30' },
  POSTERN_LOCKOUT_PER_ACCOUNT_CLIENT: { schema: positive, example: '10' },
  POSTERN_LOCKOUT_DELAY_MS: { schema: z.coerce.number().int().min(0).max(10_000), example: '500' },
  POSTERN_BLOB_STORE: { schema: z.enum(['files', 'database']), example: 'database' },
  POSTERN_SMTP_RELAY_URL: { schema: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://'), example: 'smtp://relay.example.edu:587' },
  POSTERN_DNS_SERVERS: { schema: z.string().regex(/^[0-9a-fA-F.:[\]]+(,[0-9a-fA-F.:[\]]+)*$/, 'must be IP addresses separated by commas'), example: '127.0.0.1,223.5.5.5' },
  POSTERN_DNS_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).max(60_000), example: '5000' },
  POSTERN_RSPAMD_URL: { schema: z.url(), example: 'http://127.0.0.1:11333' },
  POSTERN_RSPAMD_DOWN: { schema: z.enum(['accept', 'defer']), example: 'accept' },
  POSTERN_MAIL_CODE_DAILY_CAP: { schema: positive, example: '20' },
  POSTERN_SIDE_EFFECT_HOLD_SECONDS: { schema: positive, example: '120' },
  POSTERN_SMS_CODE_DAILY_CAP: { schema: positive, example: '10' },
  POSTERN_SMS_PROVIDER: { schema: z.enum(['emulator', 'aliyun', 'tencent', 'twilio']), example: 'aliyun' },
  POSTERN_WECHAT_PROVIDER: { schema: z.enum(['emulator', 'official']), example: 'official' },
  POSTERN_WECHAT_APP_ID: { schema: z.string().regex(/^wx[0-9a-f]{16}$/, 'must look like wx followed by 16 hex digits'), example: 'wx0123456789abcdef' },
  POSTERN_WECHAT_APP_SECRET: { schema: z.string().min(16).max(64), example: '<the website application AppSecret>' },
  POSTERN_WECHAT_MINI_APP_ID: { schema: z.string().regex(/^wx[0-9a-f]{16}$/, 'must look like wx followed by 16 hex digits'), example: 'wxfedcba9876543210' },
  POSTERN_WECHAT_MINI_APP_SECRET: { schema: z.string().min(16).max(64), example: '<the mini-program AppSecret>' },
  POSTERN_SECRET_PEPPER: { schema: z.base64().refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64'), example: '<32 random bytes in base64>' },
  POSTERN_SECRET_DATA_KEY: { schema: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be exactly 32 bytes, base64'), example: '<32 random bytes in base64>' },
} as const;

type SettingName = keyof typeof settings;
type Raw = { [K in SettingName]?: z.output<(typeof settings)[K]['schema']> };

function validNetworks(list: string): boolean {
  return list.split(',').every((entry) => {
    const [address, prefix, ...rest] = entry.trim().split('/');
    const max = isIP(address) === 6 ? 128 : 32;
    return isIP(address) !== 0 && rest.length === 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
  });
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  env: 'development' | 'production';
  dev: boolean;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  host: string;
  publicUrl: string;
  mailHostname: string;
  /** Where passkeys work (SPEC X1): the public URL's host or POSTERN_WEBAUTHN_RP_ID; else why not. */
  relyingParty: RelyingParty | string;
  ports: { web: number; smtp: number; submission: number; smtps: number; imap: number; imaps: number; pop3: number; pop3s: number };
  tls?: { certFile: string; keyFile: string };
  /** Balancers and reverse proxies (CIDR blocks): their PROXY headers and X-Forwarded-For are believed. */
  trustedProxies: string[];
  /** Bearer token of GET /metrics; without it /metrics is off. */
  metricsToken?: string;
  logLevel: string;
  timeZone: string;
  help: { phone: string; email: string };
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  trustedDeviceDays: number;
  maxMessageBytes: number;
  /** IMAP and POP3: connections per client IP before login and per account and IP after it, and the pause before answering a failed login. */
  mailAccess: { connectionsPerIp: number; connectionsPerUserIp: number; authFailureDelayMs: number };
  /** Failed-password lockout (SPEC X10); see core/lockout.ts. */
  lockout: LockoutLimits;
  /** Where raw messages live: files under dataDir/blobs (one node) or the database (several nodes). */
  blobStore: 'files' | 'database';
  smtpRelayUrl?: string;
  /** Lookups of inbound mail authentication: the system's resolvers unless servers are given. */
  dns: { servers?: string[]; timeoutMs: number };
  /** Optional spam filter; when it is unreachable mail is accepted (marked untested) or deferred with 451. */
  rspamd?: { url: string; whenDown: 'accept' | 'defer' };
  smsProvider: 'emulator' | 'aliyun' | 'tencent' | 'twilio';
  /** Verification codes one mail address / one phone number may receive per day (configured time zone). */
  codeDailyCap: { mail: number; sms: number };
  /**
   * How long a node holds a notice or code message it is sending before another node may take it
   * (longer than mail-out's and the SMS providers' own timeouts), and how often nodes look for such rows.
   */
  sideEffects: { holdMs: number; pollMs: number };
  wechatProvider: 'emulator' | 'official';
  /** The Open Platform website application (QR login) and the "邮箱安全助手" mini-program; empty with the emulator. */
  wechat: { appId: string; appSecret: string; miniAppId: string; miniAppSecret: string };
  secrets: { pepper?: string; dataKey?: string };
  /** Every POSTERN_* value as given, for provider adapters that read their own settings. */
  raw: Record<string, string>;
}

function readFileSettings(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`POSTERN_CONFIG_FILE: cannot read ${path} as JSON (${(err as Error).message}); example: {"POSTERN_WEB_PORT": "8080"}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`POSTERN_CONFIG_FILE: ${path} must hold a JSON object; example: {"POSTERN_WEB_PORT": "8080"}`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

function parseSettings(source: Record<string, string | undefined>): Raw {
  const raw: Record<string, unknown> = {};
  for (const [name, { schema, example }] of Object.entries(settings)) {
    const value = source[name];
    if (value === undefined || value === '') continue;
    const result = (schema as z.ZodType).safeParse(value);
    if (!result.success) {
      const problem = result.error.issues[0]?.message ?? 'is invalid';
      throw new ConfigError(`${name}=${JSON.stringify(value)}: ${problem}; example: ${name}=${example}`);
    }
    raw[name] = result.data;
  }
  return raw as Raw;
}

/** Reads every setting from POSTERN_* environment variables, over an optional JSON config file. */
/** Nodes look for rows left to send several times per hold, at most every 10 s. */
const sideEffectTimes = (holdSeconds: number) => ({ holdMs: holdSeconds * 1000, pollMs: Math.min(10_000, holdSeconds * 250) });

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fileSettings = env.POSTERN_CONFIG_FILE ? readFileSettings(env.POSTERN_CONFIG_FILE) : {};
  const merged = { ...fileSettings, ...Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('POSTERN_'))) };
  const raw = parseSettings(merged);
  const mode = raw.POSTERN_ENV ?? (env.NODE_ENV === 'production' ? 'production' : 'development');
  const dev = mode === 'development';
  const offset = dev ? 10000 : 0;
  const webPort = raw.POSTERN_WEB_PORT ?? 8080;
  const host = raw.POSTERN_HOST ?? (dev ? '127.0.0.1' : '0.0.0.0');
  const config: Config = {
    env: mode,
    dev,
    dataDir: resolve(raw.POSTERN_DATA_DIR ?? './data'),
    databaseUrl: raw.POSTERN_DATABASE_URL,
    redisUrl: raw.POSTERN_REDIS_URL,
    host,
    publicUrl: raw.POSTERN_PUBLIC_URL ?? `http://localhost:${webPort}`,
    relyingParty: relyingPartyOf(raw.POSTERN_PUBLIC_URL ?? `http://localhost:${webPort}`, raw.POSTERN_WEBAUTHN_RP_ID),
    mailHostname: raw.POSTERN_MAIL_HOSTNAME ?? (raw.POSTERN_PUBLIC_URL ? new URL(raw.POSTERN_PUBLIC_URL).hostname : 'localhost'),
    ports: {
      web: webPort,
      smtp: raw.POSTERN_SMTP_PORT ?? 25 + offset,
      submission: raw.POSTERN_SUBMISSION_PORT ?? 587 + offset,
      smtps: raw.POSTERN_SMTPS_PORT ?? 465 + offset,
      imap: raw.POSTERN_IMAP_PORT ?? 143 + offset,
      imaps: raw.POSTERN_IMAPS_PORT ?? 993 + offset,
      pop3: raw.POSTERN_POP3_PORT ?? 110 + offset,
      pop3s: raw.POSTERN_POP3S_PORT ?? 995 + offset,
    },
    tls: raw.POSTERN_TLS_CERT && raw.POSTERN_TLS_KEY ? { certFile: raw.POSTERN_TLS_CERT, keyFile: raw.POSTERN_TLS_KEY } : undefined,
    trustedProxies: (raw.POSTERN_TRUSTED_PROXIES ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    metricsToken: raw.POSTERN_METRICS_TOKEN,
    logLevel: raw.POSTERN_LOG_LEVEL ?? 'info',
    timeZone: raw.POSTERN_TIME_ZONE ?? 'Asia/Shanghai',
    help: { phone: raw.POSTERN_HELP_PHONE ?? '', email: raw.POSTERN_HELP_EMAIL ?? '' },
    sessionIdleMinutes: raw.POSTERN_SESSION_IDLE_MINUTES ?? 30,
    sessionMaxHours: raw.POSTERN_SESSION_MAX_HOURS ?? 12,
    trustedDeviceDays: raw.POSTERN_TRUSTED_DEVICE_DAYS ?? 30,
    maxMessageBytes: raw.POSTERN_MAX_MESSAGE_BYTES ?? 25 * 1024 * 1024,
    mailAccess: {
      connectionsPerIp: raw.POSTERN_MAIL_CONNECTIONS_PER_IP ?? 1000,
      connectionsPerUserIp: raw.POSTERN_MAIL_CONNECTIONS_PER_USER_IP ?? 20,
      authFailureDelayMs: raw.POSTERN_MAIL_AUTH_FAILURE_DELAY_MS ?? 2000,
    },
    lockout: {
      windowMinutes: raw.POSTERN_LOCKOUT_WINDOW_MINUTES ?? defaultLockoutLimits.windowMinutes,
      perIp: raw.POSTERN_LOCKOUT_PER_IP ?? defaultLockoutLimits.perIp,
      perAccountIp: raw.POSTERN_LOCKOUT_PER_ACCOUNT_IP ?? defaultLockoutLimits.perAccountIp,
      perAccount: {
        web: raw.POSTERN_LOCKOUT_PER_ACCOUNT_WEB ?? defaultLockoutLimits.perAccount.web,
        client: raw.POSTERN_LOCKOUT_PER_ACCOUNT_CLIENT ?? defaultLockoutLimits.perAccount.client,
      },
      delayMs: raw.POSTERN_LOCKOUT_DELAY_MS ?? defaultLockoutLimits.delayMs,
    },
    blobStore: raw.POSTERN_BLOB_STORE ?? 'files',
    smtpRelayUrl: raw.POSTERN_SMTP_RELAY_URL,
    dns: { servers: raw.POSTERN_DNS_SERVERS?.split(','), timeoutMs: raw.POSTERN_DNS_TIMEOUT_MS ?? 5000 },
    rspamd: raw.POSTERN_RSPAMD_URL ? { url: raw.POSTERN_RSPAMD_URL, whenDown: raw.POSTERN_RSPAMD_DOWN ?? 'accept' } : undefined,
    smsProvider: raw.POSTERN_SMS_PROVIDER ?? 'emulator',
    codeDailyCap: { mail: raw.POSTERN_MAIL_CODE_DAILY_CAP ?? 20, sms: raw.POSTERN_SMS_CODE_DAILY_CAP ?? 10 },
    sideEffects: sideEffectTimes(raw.POSTERN_SIDE_EFFECT_HOLD_SECONDS ?? 120),
    wechatProvider: raw.POSTERN_WECHAT_PROVIDER ?? 'emulator',
    wechat: {
      appId: raw.POSTERN_WECHAT_APP_ID ?? '',
      appSecret: raw.POSTERN_WECHAT_APP_SECRET ?? '',
      miniAppId: raw.POSTERN_WECHAT_MINI_APP_ID ?? '',
      miniAppSecret: raw.POSTERN_WECHAT_MINI_APP_SECRET ?? '',
    },
    secrets: { pepper: raw.POSTERN_SECRET_PEPPER, dataKey: raw.POSTERN_SECRET_DATA_KEY },
    raw: Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
  if (!dev) checkProduction(config, raw);
  return config;
}

function checkProduction(config: Config, raw: Raw): void {
  const missing = (name: SettingName, why: string) =>
    new ConfigError(`${name}: ${why} in production; example: ${name}=${settings[name].example}`);
  if (!config.tls) throw missing(raw.POSTERN_TLS_CERT ? 'POSTERN_TLS_KEY' : 'POSTERN_TLS_CERT', 'TLS certificate and key are required');
  if (!raw.POSTERN_PUBLIC_URL) throw missing('POSTERN_PUBLIC_URL', 'the public https URL is required');
  if (typeof config.relyingParty === 'string') {
    const name = raw.POSTERN_WEBAUTHN_RP_ID ? 'POSTERN_WEBAUTHN_RP_ID' : 'POSTERN_PUBLIC_URL';
    throw new ConfigError(`${name}: ${config.relyingParty}, so security keys and passkeys cannot work; example: ${name}=${settings[name].example}`);
  }
  if (config.smsProvider === 'emulator') throw missing('POSTERN_SMS_PROVIDER', 'the SMS emulator is for development only; a real provider is required');
  if (config.wechatProvider === 'emulator') throw missing('POSTERN_WECHAT_PROVIDER', 'the WeChat emulator is for development only; a real provider is required');
  if (config.wechatProvider === 'official') checkWechat(config);
  if (!config.smtpRelayUrl) throw missing('POSTERN_SMTP_RELAY_URL', 'an outbound relay is required');
}

/** The official WeChat adapter cannot work without both applications' ids and secrets. */
export function checkWechat(config: Pick<Config, 'wechat'>): void {
  const names = { appId: 'POSTERN_WECHAT_APP_ID', appSecret: 'POSTERN_WECHAT_APP_SECRET', miniAppId: 'POSTERN_WECHAT_MINI_APP_ID', miniAppSecret: 'POSTERN_WECHAT_MINI_APP_SECRET' } as const;
  for (const [field, name] of Object.entries(names) as [keyof typeof names, SettingName][]) {
    if (!config.wechat[field]) throw new ConfigError(`${name}: required when POSTERN_WECHAT_PROVIDER=official; example: ${name}=${settings[name].example}`);
  }
}
