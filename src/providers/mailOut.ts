import nodemailer from 'nodemailer';
import { PosternError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import type { DevOutbox, MailOut } from '../core/messagePorts.ts';

/** Mail through the configured SMTP relay (`POSTERN_SMTP_RELAY_URL`, `smtp://` or `smtps://`). */
export function relayMailOut(relayUrl: string, options: { timeoutMs?: number } = {}): MailOut {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: relayUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
  });
  return {
    async send(msg) {
      try {
        await transport.sendMail(msg);
      } catch (err) {
        // nodemailer's codes (EAUTH, ECONNECTION, ETIMEDOUT…) say what failed without repeating the URL's credentials.
        const reason = String((err as { code?: unknown }).code ?? 'relay_error').replace(/[^\w.-]/g, '').slice(0, 40);
        throw new PosternError('mail_send_failed', { reason });
      }
    },
  };
}

/** Development: mail is kept in the dev outbox (the /dev/outbox page and `postern outbox`) instead of sent. */
export function devOutboxMailOut(outbox: DevOutbox, clock: Clock): MailOut {
  return {
    async send(msg) {
      await outbox.add({ channel: 'mail', to: msg.to, from: msg.from, subject: msg.subject, text: msg.text, html: msg.html }, clock.now());
    },
  };
}

/** The relay when one is configured, the dev outbox otherwise (production requires a relay). */
export function createMailOut(config: { smtpRelayUrl?: string }, outbox: DevOutbox, clock: Clock): MailOut {
  return config.smtpRelayUrl ? relayMailOut(config.smtpRelayUrl) : devOutboxMailOut(outbox, clock);
}
