import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type Context } from '../../src/context.ts';
import { FakeClock } from './clock.ts';
import { buildApp } from '../../src/web/app.ts';

export const demo = { address: 'test001@example.test', password: 'Demo-pass-2026!', displayName: 'test001' };
export const chromeUa = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';

/** A browser talking to the app through `inject`: keeps cookies and the CSRF token, has an IP. */
export class TestBrowser {
  readonly app: FastifyInstance;
  readonly ip: string;
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(app: FastifyInstance, ip: string) {
    this.app = app;
    this.ip = ip;
  }

  async request(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': chromeUa,
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = res.headers['content-type']?.toString().startsWith('application/json') ? findToken(res.json()) : undefined;
    if (token) this.csrfToken = token;
    return res;
  }

  /** Opens the app as the UI does: `GET /api/session` for the CSRF token. */
  async open(): Promise<LightMyRequestResponse> {
    return this.request('GET', '/api/session');
  }

  async login(address = demo.address, password = demo.password): Promise<LightMyRequestResponse> {
    if (!this.csrfToken) await this.open();
    return this.request('POST', '/api/login', { address, password });
  }
}

function findToken(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { csrfToken?: unknown; session?: { csrfToken?: unknown } };
  const token = b.csrfToken ?? b.session?.csrfToken;
  return typeof token === 'string' ? token : undefined;
}

export interface TestWeb {
  app: FastifyInstance;
  ctx: Context;
  clock: FakeClock;
  browser(ip?: string): TestBrowser;
  close(): Promise<void>;
}

/** The web app on a fresh SQLite data dir with a fake clock and the demo account. */
export async function testWeb(env: Record<string, string> = {}): Promise<TestWeb> {
  const dir = mkdtempSync(join(tmpdir(), 'postern-web-'));
  // The lockout's progressive delay is measured in test/web/lockout.test.ts; elsewhere it would only slow the suite.
  const config = loadConfig({ POSTERN_DATA_DIR: dir, POSTERN_LOG_LEVEL: 'silent', POSTERN_HELP_PHONE: '023-65111500', POSTERN_HELP_EMAIL: 'mail@example.test', POSTERN_LOCKOUT_DELAY_MS: '1', ...env });
  const clock = new FakeClock(Date.now());
  const ctx = await createContext(config, { clock, log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await ctx.accounts.addDomain('example.test');
  await ctx.accounts.create(demo);
  return {
    app,
    ctx,
    clock,
    browser: (ip = '127.0.0.1') => new TestBrowser(app, ip),
    async close() {
      await app.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What an authenticator app shows for `secret` on the test server's clock, `stepOffset` steps away. */
export function totpCode(web: TestWeb, secret: string, stepOffset = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: web.clock.now().getTime() + stepOffset * 30_000 });
}

/** Binds TOTP through the API for the signed-in browser `b`, then moves the clock past the code used. */
export async function bindTotpOverHttp(web: TestWeb, b: TestBrowser): Promise<{ secret: string; factorId: string }> {
  const bind = (await b.request('POST', '/api/2fa/bind', { kind: 'totp' })).json();
  const secret = bind.display.secret.replace(/ /g, '');
  const check = await b.request('POST', `/api/2fa/verifications/${bind.verificationId}/check`, { factorId: bind.factorId, code: totpCode(web, secret) });
  assert.deepEqual(check.json(), { status: 'verified', purpose: 'bind', twoFactorOn: true });
  web.clock.advance(30_000);
  return { secret, factorId: bind.factorId };
}

/**
 * Puts the signed-in browser `b` into sudo mode (SPEC X9), as the page's step-up dialog does: the
 * main password with 2FA off, else the authenticator code of `secret` (then the clock moves on).
 */
export async function stepUpOverHttp(web: TestWeb, b: TestBrowser, secret?: string, password = demo.password): Promise<void> {
  const begin = (await b.request('POST', '/api/step-up')).json();
  if (begin.method === 'password') {
    assert.equal((await b.request('POST', '/api/step-up/password', { password })).json().status, 'verified');
    return;
  }
  const totp = begin.verification.methods.find((m: { kind: string }) => m.kind === 'totp');
  // A fresh time step on both sides: an authenticator code is accepted once.
  web.clock.advance(30_000);
  const check = await b.request('POST', `/api/2fa/verifications/${begin.verification.id}/check`, { factorId: totp.id, code: totpCode(web, secret!) });
  assert.equal(check.json().status, 'verified', check.body);
  web.clock.advance(30_000);
}

/** Every route the app serves, as `METHOD /path/{param}`, read from Fastify's own route tree. */
export function servedRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) routes.push(`${method} ${path}`);
  }
  return routes;
}
