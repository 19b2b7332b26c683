import { formatDateTime } from './datetime.ts';
import { PosternError } from './errors.ts';
import type { Clock } from './ports.ts';
import { maskEmail, maskPhone } from './mask.ts';
import type { Lang } from '../i18n/index.ts';
import { renderVerificationMail, renderVerificationSms } from '../mail/templates/verificationMail.ts';
import type { MailOut } from '../providers/mailOut.ts';
import type { SmsProvider } from '../providers/sms/types.ts';
import type { SendCountRepo } from '../store/sendCountRepo.ts';

/** The request that asked for a code: shown in the mail as the operation's time and place (B2). */
export interface Operation {
  lang: Lang;
  ip: string;
  userAgent?: string;
}

export interface CodeSenderDeps {
  mailOut: MailOut;
  sms: SmsProvider;
  counts: SendCountRepo;
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

  async #mayAccountSend(channel: 'mail' | 'sms', accountId: string): Promise<void> {
    const waitMs = await this.#deps.counts.claim(`${channel}:${accountId}`, this.#deps.clock.now(), this.#deps.resendIntervalMs);
    if (waitMs > 0) throw new PosternError('resend_too_soon', 429, { seconds: Math.ceil(waitMs / 1000) });
  }

  async #withinDailyCap(channel: 'mail' | 'sms', destination: string): Promise<void> {
    const day = formatDateTime(this.#deps.clock.now(), this.#deps.timeZone).slice(0, 10);
    const count = await this.#deps.counts.increment(`${channel}:${destination}`, day);
    const limit = this.#deps.dailyCap[channel];
    if (count > limit) throw new PosternError('daily_send_limit', 429, { limit });
  }

  async #logFailure(channel: 'mail' | 'sms', to: string, sending: Promise<void>): Promise<void> {
    try {
      await sending;
    } catch (err) {
      const failure = err instanceof PosternError ? { error: err.code, ...err.params } : { error: (err as Error).name };
      this.#deps.log.warn({ channel, to, ...failure }, 'verification code not delivered');
      throw err;
    }
  }

  /** Mails `code` to `to` (a normalized address) for `account`, from postmaster@<account's domain>. */
  async mailCode(account: { id: string; address: string; displayName: string }, to: string, code: string, validMinutes: number, op: Operation): Promise<void> {
    await this.#mayAccountSend('mail', account.id);
    await this.#withinDailyCap('mail', to);
    const { clock, timeZone } = this.#deps;
    const mail = renderVerificationMail({ lang: op.lang, account, to, code, validMinutes, at: clock.now(), timeZone, ip: op.ip, userAgent: op.userAgent });
    await this.#logFailure('mail', maskEmail(to), this.#deps.mailOut.send(mail));
  }

  /** Texts `code` to `phoneE164` for the account `accountId`. */
  async textCode(accountId: string, phoneE164: string, code: string, validMinutes: number, op: Pick<Operation, 'lang'>): Promise<void> {
    await this.#mayAccountSend('sms', accountId);
    await this.#withinDailyCap('sms', phoneE164);
    await this.#logFailure('sms', maskPhone(phoneE164), this.#deps.sms.send(phoneE164, renderVerificationSms({ lang: op.lang, code, validMinutes }), { code }));
  }
}
