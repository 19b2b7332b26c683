import { formatDateTime } from './datetime.ts';
import { PosternError } from './errors.ts';
import type { Lang } from '../i18n/index.ts';
import { maskEmail, maskPhone } from './mask.ts';
import type { MailOut, SmsProvider, VerificationMessages } from './messagePorts.ts';
import type { Clock, SendCountRepo } from './ports.ts';

/** The request that asked for a code: shown in the mail as the operation's time and place (B2). */
export interface Operation {
  lang: Lang;
  ip: string;
  userAgent?: string;
}

type Channel = 'mail' | 'sms';

export interface CodeSenderDeps {
  mailOut: MailOut;
  sms: SmsProvider;
  counts: SendCountRepo;
  messages: VerificationMessages;
  clock: Clock;
  timeZone: string;
  dailyCap: { mail: number; sms: number };
  /** The shortest time between two codes of one channel to one account (SPEC C8: a minute). */
  resendIntervalMs: number;
  /** Failed deliveries are logged for the operator (the user sees a translated error). */
  log: { warn(detail: object, message: string): void };
}

/**
 * Delivers verification codes by mail (B2) and SMS: at most one per channel and account a minute,
 * whatever the destination (changing the address does not skip the wait), and within each
 * destination's daily cap.
 */
export class CodeSender {
  readonly #deps: CodeSenderDeps;

  constructor(deps: CodeSenderDeps) {
    this.#deps = deps;
  }

  async #withinDailyCap(channel: Channel, destination: string): Promise<void> {
    const day = formatDateTime(this.#deps.clock.now(), this.#deps.timeZone).slice(0, 10);
    const count = await this.#deps.counts.increment(`${channel}:${destination}`, day);
    // The first send to a destination on a day is rare enough to sweep earlier days then.
    if (count === 1) await this.#deps.counts.prune(day);
    const limit = this.#deps.dailyCap[channel];
    if (count > limit) throw new PosternError('daily_send_limit', { limit });
  }

  /** Claims the account's minute, checks the destination's day, delivers; when nothing went out the minute is given back. */
  async #send(channel: Channel, accountId: string, destination: string, masked: string, deliver: () => Promise<void>): Promise<void> {
    const key = `${channel}:${accountId}`;
    const now = this.#deps.clock.now();
    const waitMs = await this.#deps.counts.claim(key, now, this.#deps.resendIntervalMs);
    if (waitMs > 0) throw new PosternError('resend_too_soon', { seconds: Math.ceil(waitMs / 1000) });
    try {
      await this.#withinDailyCap(channel, destination);
      try {
        await deliver();
      } catch (err) {
        const failure = err instanceof PosternError ? { error: err.code, ...err.params } : { error: (err as Error).name };
        this.#deps.log.warn({ channel, to: masked, ...failure }, 'verification code not delivered');
        throw err;
      }
    } catch (err) {
      await this.#deps.counts.release(key, now);
      throw err;
    }
  }

  /** Mails `code` to `to` (a normalized address) for `account`, from postmaster@<account's domain>. */
  async mailCode(account: { id: string; address: string; displayName: string }, to: string, code: string, validMinutes: number, op: Operation): Promise<void> {
    const { clock, timeZone } = this.#deps;
    await this.#send('mail', account.id, to, maskEmail(to), () =>
      this.#deps.mailOut.send(this.#deps.messages.mail({ lang: op.lang, account, to, code, validMinutes, at: clock.now(), timeZone, ip: op.ip, userAgent: op.userAgent })),
    );
  }

  /** Texts `code` to `phoneE164` for the account `accountId`. */
  async textCode(accountId: string, phoneE164: string, code: string, validMinutes: number, op: Pick<Operation, 'lang'>): Promise<void> {
    await this.#send('sms', accountId, phoneE164, maskPhone(phoneE164), () =>
      this.#deps.sms.send(phoneE164, this.#deps.messages.sms({ lang: op.lang, code, validMinutes }), { code }),
    );
  }
}
