import type { Lang } from '../i18n/index.ts';
import { defaultLang, isLang } from '../i18n/index.ts';
import type { ChallengeEnv, CheckOutcome, Json, Method, PreparedFactor } from './methods.ts';
import type { AccountRecord, MethodKind } from './ports.ts';

/** Codes sent by mail or SMS are valid this long (guide: "验证码有效时间: 5 分钟"). */
export const sentCodeValidMinutes = 5;

/** What differs between the methods that send a code to a destination (backup email, SMS). */
export interface CodeChannel {
  kind: MethodKind;
  responsePattern: RegExp;
  newCode(): string;
  /** Validates the bind input; returns the destination to store and its masked label. */
  destination(input: unknown, account: AccountRecord): { data: Json; label: string };
  deliver(env: ChallengeEnv, code: string, lang: Lang): Promise<void>;
  /** The stored destination (address, E.164 number). */
  sendsTo(data: Json): string;
}

/**
 * A method whose challenge is a code sent to a bound destination (SPEC B1/B4, C3/C5, D1/D5). The core
 * keeps the resend interval, attempts and expiry; only the code's keyed hash is stored.
 */
export class CodeMethod implements Method {
  readonly kind: MethodKind;
  readonly style = 'code' as const;
  readonly responsePattern: RegExp;
  readonly #channel: CodeChannel;

  constructor(channel: CodeChannel) {
    this.#channel = channel;
    this.kind = channel.kind;
    this.responsePattern = channel.responsePattern;
  }

  async prepare(input: unknown, account: AccountRecord): Promise<PreparedFactor> {
    const { data, label } = this.#channel.destination(input, account);
    return { data, label, display: { destination: label } };
  }

  async start(env: ChallengeEnv) {
    const code = this.#channel.newCode();
    await this.#channel.deliver(env, code, isLang(env.lang) ? env.lang : defaultLang);
    return { state: { hash: env.codes.hash(code) }, display: { sentTo: env.factor.label, validMinutes: sentCodeValidMinutes }, ttlMs: sentCodeValidMinutes * 60_000 };
  }

  sendsTo(data: Json): string {
    return this.#channel.sendsTo(data);
  }

  async check(env: ChallengeEnv, response: string): Promise<CheckOutcome> {
    const { hash } = JSON.parse(env.challenge!.state) as { hash: string };
    return env.codes.matches(response, hash) ? 'ok' : 'wrong';
  }
}
