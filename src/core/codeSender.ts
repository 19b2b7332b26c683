import { formatDateTime } from './datetime.ts';
import { PosternError } from './errors.ts';
import type { Lang } from '../i18n/index.ts';
import { maskEmail, maskPhone } from './mask.ts';
import type { MailOut, OutgoingMail, SmsProvider, VerificationMessages } from './messagePorts.ts';
import type { Clock, SendCountRepo } from './ports.ts';
import type { SecretBox } from './secretBox.ts';
import type { SideEffect, SideEffects } from './sideEffects.ts';

/** The request that asked for a code: shown in the mail as the operation's time and place (B2). */
export interface Operation {
  lang: Lang;
  ip: string;
  userAgent?: string;
}

type Channel = 'mail' | 'sms';

/** The SecretBox context of code messages waiting in the side-effect rows. */
const sealedFor = 'side_effect.code';

export interface CodeSenderDeps {
  mailOut: MailOut;
  sms: SmsProvider;
  /** Each code message is a row first: a node that dies before sending leaves it to another. */
  effects: SideEffects;
  /** Seals the rows, which hold the codes. */
  box: SecretBox;
  counts: SendCountRepo;
  messages: VerificationMessages;
  clock: Clock;
  timeZone: string;
  dailyCap: { mail: number; sms: number };
  /** Failed deliveries are logged for the operator (the user sees a translated error). */
  log: { warn(detail: object, message: string): void };
}

/**
 * Delivers verification codes by mail (B2) and SMS within each destination's daily cap. The resend
 * interval is the core's, per purpose and destination (`Verifications.start`).
 */
export class CodeSender {
  readonly #deps: CodeSenderDeps;

  constructor(deps: CodeSenderDeps) {
    this.#deps = deps;
    const open = <T>(item: SideEffect) => JSON.parse(deps.box.open(item.payload, sealedFor)) as T;
    deps.effects
      .handle('code_mail', (item) => deps.mailOut.send(open<OutgoingMail>(item)))
      .handle('code_sms', (item) => {
        const m = open<{ phone: string; text: string; code: string }>(item);
        return deps.sms.send(m.phone, m.text, { code: m.code });
      });
  }

  /** Stores the message (sealed) and sends it; it expires with its code. */
  async #deliver(kind: 'code_mail' | 'code_sms', accountId: string | null, message: object, validMinutes: number): Promise<void> {
    const { effects, box, clock } = this.#deps;
    const item = effects.item(kind, box.seal(JSON.stringify(message), sealedFor), accountId, new Date(clock.now().getTime() + validMinutes * 60_000));
    await effects.add([item]);
    await effects.sendNow(item);
  }

  async #withinDailyCap(channel: Channel, destination: string): Promise<void> {
    const day = formatDateTime(this.#deps.clock.now(), this.#deps.timeZone).slice(0, 10);
    const count = await this.#deps.counts.increment(`${channel}:${destination}`, day);
    // The first send to a destination on a day is rare enough to sweep earlier days then.
    if (count === 1) await this.#deps.counts.prune(day);
    const limit = this.#deps.dailyCap[channel];
    if (count > limit) throw new PosternError('daily_send_limit', { limit });
  }

  /** Checks the destination's day and delivers; a failed delivery is logged without the code. */
  async #send(channel: Channel, destination: string, masked: string, deliver: () => Promise<void>): Promise<void> {
    await this.#withinDailyCap(channel, destination);
    try {
      await deliver();
    } catch (err) {
      const failure = err instanceof PosternError ? { error: err.code, ...err.params } : { error: (err as Error).name };
      this.#deps.log.warn({ channel, to: masked, ...failure }, 'verification code not delivered');
      throw err;
    }
  }

  /** Mails `code` to `to` (a normalized address) for `account`, from postmaster@<account's domain>. */
  async mailCode(account: { id: string; address: string; displayName: string }, to: string, code: string, validMinutes: number, op: Operation): Promise<void> {
    const { clock, timeZone } = this.#deps;
    await this.#send('mail', to, maskEmail(to), () =>
      this.#deliver('code_mail', account.id, this.#deps.messages.mail({ lang: op.lang, account, to, code, validMinutes, at: clock.now(), timeZone, ip: op.ip, userAgent: op.userAgent }), validMinutes),
    );
  }

  /** Texts `code` to `phoneE164`. */
  async textCode(phoneE164: string, code: string, validMinutes: number, op: Pick<Operation, 'lang'>): Promise<void> {
    await this.#send('sms', phoneE164, maskPhone(phoneE164), () =>
      this.#deliver('code_sms', null, { phone: phoneE164, text: this.#deps.messages.sms({ lang: op.lang, code, validMinutes }), code }, validMinutes),
    );
  }
}
