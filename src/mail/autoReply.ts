// The vacation response sent on delivery (RFC 8621 §8, with the rules of RFC 3834 and RFC 5230):
// once per sender per vacation and week, never to mailing lists, bulk mail, other automatic mail or
// bounces, and only to mail that names the account among its recipients.
import type { Logger } from 'pino';
import type { AccountRecord, Clock } from '../core/ports.ts';
import { composeMail } from './compose.ts';
import { resolveRecipient, type DispatchDeps } from './dispatch.ts';
import { headerAddresses, headerFields } from './headers.ts';
import type { MailSettings, VacationRecord } from './mailSettings.ts';

/** RFC 5230 §4.2: the default of `:days`, the least time between two answers to one sender. */
export const replyIntervalMs = 7 * 24 * 60 * 60 * 1000;

// Senders that are programs or lists, whatever their headers say (RFC 5230 §4.5).
const robotSender = /^(mailer-daemon|postmaster|listserv|majordomo|no-?reply|owner-.*|.*-request|.*-bounces?)@/i;

export interface IncomingFacts {
  envelopeFrom: string;
  message: Buffer;
  /** The account's own addresses, lower-case. */
  own: string[];
}

/** Whether the vacation is on at `now` and the message is one a person sent to this account. */
export function shouldAutoReply(vacation: VacationRecord, facts: IncomingFacts, now: Date): boolean {
  if (!vacation.isEnabled) return false;
  if (vacation.fromDate && now < vacation.fromDate) return false;
  if (vacation.toDate && now >= vacation.toDate) return false;
  const sender = facts.envelopeFrom.trim().toLowerCase();
  if (!sender || robotSender.test(sender) || facts.own.includes(sender)) return false;
  const field = (name: string) => headerFields(facts.message, name).map((v) => v.trim().toLowerCase());
  const auto = field('auto-submitted');
  if (auto.some((v) => !v.startsWith('no'))) return false;
  if (field('precedence').some((v) => ['bulk', 'list', 'junk', 'auto_reply'].includes(v))) return false;
  if (['list-id', 'list-unsubscribe', 'list-post', 'x-loop'].some((h) => field(h).length > 0)) return false;
  if (field('x-auto-response-suppress').some((v) => /\b(all|oof|autoreply)\b/.test(v))) return false;
  const named = ['to', 'cc', 'bcc', 'resent-to', 'resent-cc'].flatMap((h) => headerAddresses(facts.message, h)).map((a) => a.toLowerCase());
  return named.some((a) => facts.own.includes(a));
}

export interface AutoReplyDeps extends Omit<DispatchDeps, 'autoReply'> {
  settings: MailSettings;
  clock: Clock;
  log: Logger;
  sendingAddresses(account: AccountRecord): Promise<string[]>;
}

export class AutoReplies {
  readonly #deps: AutoReplyDeps;

  constructor(deps: AutoReplyDeps) {
    this.#deps = deps;
  }

  /** After `message` was delivered to `account`'s INBOX: the vacation response, if one is due. Never fails the delivery. */
  async afterDelivery(account: AccountRecord, envelopeFrom: string, message: Buffer): Promise<void> {
    try {
      await this.#reply(account, envelopeFrom, message);
    } catch (err) {
      this.#deps.log.warn({ err, account: account.id }, 'vacation response not sent');
    }
  }

  async #reply(account: AccountRecord, envelopeFrom: string, message: Buffer): Promise<void> {
    const { settings, clock } = this.#deps;
    const vacation = await settings.vacation(account.id);
    if (!vacation.isEnabled) return;
    const own = (await this.#deps.sendingAddresses(account)).map((a) => a.toLowerCase());
    const now = clock.now();
    if (!shouldAutoReply(vacation, { envelopeFrom, message, own }, now)) return;
    const sender = envelopeFrom.trim().toLowerCase();
    if (!(await settings.repo.claimReply(account.id, sender, vacation.period, new Date(now.getTime() - replyIntervalMs), now))) return;
    const subject = headerFields(message, 'subject')[0]?.trim() ?? '';
    const messageId = headerFields(message, 'message-id')[0]?.trim();
    const references = [...headerFields(message, 'references').flatMap((v) => v.trim().split(/\s+/)), ...(messageId ? [messageId] : [])].filter(Boolean).slice(-20);
    const reply = await composeMail({
      from: account.displayName ? `"${account.displayName.replace(/["\\]/g, '')}" <${account.address}>` : account.address,
      to: sender,
      subject: vacation.subject || `Auto: ${subject}`.trim(),
      text: vacation.textBody ?? '',
      ...(vacation.htmlBody ? { html: vacation.htmlBody } : {}),
      ...(messageId ? { inReplyTo: messageId } : {}),
      references,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const to = await resolveRecipient(this.#deps, sender);
    if (to.kind === 'local') await this.#deps.mail.deliver(to.account.id, reply);
    else if (to.kind === 'remote' && this.#deps.relay.enabled) await this.#deps.relay.enqueue(account.id, account.address, [to.address], reply);
  }
}
