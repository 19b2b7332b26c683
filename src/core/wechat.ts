import { createHmac, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { maskId } from './mask.ts';
import type { ChallengeEnv, CheckOutcome, Method, PreparedFactor } from './methods.ts';
import type { WechatProvider, WechatStore } from './wechatPorts.ts';

/** A QR stays scannable this long; a new one is one click away. */
export const wechatQrTtlMs = 5 * 60_000;
const codePeriodSeconds = 30;

/** The factor's sealed data: the mini-program code's secret and, once bound, the WeChat user. */
export interface WechatData {
  secret: string;
  userId?: string;
  openid?: string;
}

/** What the phone's answer left in the challenge. */
type Answer = { denied: true } | { userId: string; openid: string } | { userKey: string };

/** A WeChat user is found by a keyed hash of its id: the lookup table reveals no WeChat ids. */
export const wechatUserKey = (pepper: Buffer, userId: string): string => createHmac('sha256', pepper).update(`wechat:${userId}`).digest('base64url');

export function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const codeGenerator = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: codePeriodSeconds });

/** The 6-digit code the mini-program "邮箱安全助手" shows for a bound account now, and how long it stays. */
export function miniProgramCode(secret: string, now: Date): { code: string; secondsLeft: number } {
  const ms = now.getTime();
  return { code: codeGenerator(secret).generate({ timestamp: ms }), secondsLeft: codePeriodSeconds - (Math.floor(ms / 1000) % codePeriodSeconds) };
}

/**
 * WeChat (SPEC B3, C4, D3, D4): a QR the user scans in WeChat and authorises on the phone; the
 * page polls `check` with an empty answer. At login the user may instead type the 6-digit code of
 * the mini-program, a time-based code of the factor's own secret, each step accepted once.
 */
export class WechatMethod implements Method {
  readonly kind = 'wechat' as const;
  readonly style = 'approval' as const;
  readonly responsePattern = /^\d{6}$/;
  readonly #provider: WechatProvider;
  readonly #store: WechatStore;
  readonly #pepper: Buffer;

  constructor(deps: { provider: WechatProvider; store: WechatStore; pepper: Buffer }) {
    this.#provider = deps.provider;
    this.#store = deps.store;
    this.#pepper = deps.pepper;
  }

  async prepare(): Promise<PreparedFactor> {
    return { data: { secret: new Secret({ size: 20 }).base32 }, label: '', display: null };
  }

  async start(env: ChallengeEnv) {
    await this.#store.insertRequest({
      challengeId: env.challengeId,
      accountId: env.account.id,
      factorId: env.factor.id,
      purpose: env.purpose,
      ip: env.request.ip,
      userAgent: env.request.userAgent,
      createdAt: env.now,
      expiresAt: new Date(env.now.getTime() + wechatQrTtlMs),
      status: 'pending',
    });
    return { state: null, display: { ...this.#provider.qrFor(env.challengeId) }, ttlMs: wechatQrTtlMs };
  }

  async check(env: ChallengeEnv, response: string): Promise<CheckOutcome> {
    const data = env.data as unknown as WechatData;
    if (response !== '') return this.#checkCode(env, data, response);
    if (!env.challenge?.approvedAt) return 'pending';
    const answer = JSON.parse(env.challenge.state) as Answer;
    if ('denied' in answer) return 'denied';
    if (env.purpose === 'bind') {
      if (!('userId' in answer)) return 'wrong';
      // The card shows which WeChat is bound, masked like the email and phone on theirs.
      if (!(await env.bindData({ secret: data.secret, userId: answer.userId, openid: answer.openid }, maskId(answer.openid)))) return 'reused';
      await this.#store.link(env.factor.id, env.account.id, wechatUserKey(this.#pepper, answer.userId), env.now);
      return 'ok';
    }
    // The approval was checked against the bound user when given; checked again here, where it counts.
    const bound = data.userId && wechatUserKey(this.#pepper, data.userId);
    return 'userKey' in answer && bound && sameKey(answer.userKey, bound) ? 'ok' : 'wrong';
  }

  async #checkCode(env: ChallengeEnv, data: WechatData, response: string): Promise<CheckOutcome> {
    // Binding needs the scan: the mini-program shows codes of bound accounts only.
    if (env.purpose === 'bind' || !data.userId) return 'wrong';
    const generator = codeGenerator(data.secret);
    const timestamp = env.now.getTime();
    const delta = generator.validate({ token: response, timestamp, window: 1 });
    if (delta === null) return 'wrong';
    return (await env.advanceCounter(generator.counter({ timestamp }) + delta)) ? 'ok' : 'reused';
  }
}
