import { formatDateTime } from './datetime.ts';
import { PosternError } from './errors.ts';
import type { Clock } from './ports.ts';
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
}

/** Delivers verification codes by mail (B2) and SMS, within each destination's daily cap. */
export class CodeSender {
  readonly #deps: CodeSenderDeps;

  constructor(deps: CodeSenderDeps) {
    this.#deps = deps;
  }

  async #withinDailyCap(channel: 'mail' | 'sms', destination: string): Promise<void> {
    const day = formatDateTime(this.#deps.clock.now(), this.#deps.timeZone).slice(0, 10);
    const count = await this.#deps.counts.increment(`${channel}:${destination}`, day);
    const limit = this.#deps.dailyCap[channel];
    if (count > limit) throw new PosternError('daily_send_limit', 429, { limit });
  }

  /** Mails `code` to `to` (a normalized address) for `account`, from postmaster@<account's domain>. */
  async mailCode(account: { address: string; displayName: string }, to: string, code: string, validMinutes: number, op: Operation): Promise<void> {
    await this.#withinDailyCap('mail', to);
    const { clock, timeZone } = this.#deps;
    await this.#deps.mailOut.send(renderVerificationMail({ lang: op.lang, account, to, code, validMinutes, at: clock.now(), timeZone, ip: op.ip, userAgent: op.userAgent }));
  }

  /** Texts `code` to `phoneE164`. */
  async textCode(phoneE164: string, code: string, validMinutes: number, op: Pick<Operation, 'lang'>): Promise<void> {
    await this.#withinDailyCap('sms', phoneE164);
    await this.#deps.sms.send(phoneE164, renderVerificationSms({ lang: op.lang, code, validMinutes }), { code });
  }
}
