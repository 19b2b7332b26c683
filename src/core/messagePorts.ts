import type { Lang } from '../i18n/index.ts';
import type { MethodKind } from './ports.ts';

/** A system mail (verification codes, notices), rendered and ready to send. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends the system's own mail: the SMTP relay, or the dev outbox in development. */
export interface MailOut {
  send(msg: OutgoingMail): Promise<void>;
}

/** Sends one text message. `text` is the full message; template-based providers send `code` into their template. */
export interface SmsProvider {
  readonly name: string;
  send(phoneE164: string, text: string, meta: { code: string }): Promise<void>;
}

/** The request behind a mail: when, from which IP (empty when unknown) and User-Agent. */
export interface OperationFacts {
  at: Date;
  timeZone: string;
  ip: string;
  userAgent?: string;
}

export interface VerificationMailInput extends OperationFacts {
  lang: Lang;
  /** The account being verified: its mailbox is shown masked, its domain sends the mail. */
  account: { address: string; displayName: string };
  /** Where the code goes (the backup address). */
  to: string;
  code: string;
  validMinutes: number;
}

/** The words of a verification code: the mail (B2) and the text message (B4). */
export interface VerificationMessages {
  mail(input: VerificationMailInput): OutgoingMail;
  sms(input: { lang: Lang; code: string; validMinutes: number }): string;
}

export const noticeKinds = ['new_device', 'method_bound', 'method_unbound', 'method_changed', 'two_factor_off', 'two_factor_reset', 'app_password_created', 'password_changed', 'lockout_started', 'app_password_new_network', 'step_up_failed_repeatedly', 'key_refused', 'admin_action', 'two_factor_required_soon'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export interface SecurityNoticeInput extends OperationFacts {
  lang: Lang;
  kind: NoticeKind;
  account: { address: string; displayName: string };
  to: string;
  /** The method concerned (method notices). */
  method?: MethodKind;
  /** The client password's name (app_password_created). */
  appPasswordName?: string;
  /** admin_action: who (the administrator's address) did what (the audit event's type, and an alias's address). */
  admin?: { actor: string; type: string; address?: string };
  /** two_factor_required_soon: whole days until the grace period ends. */
  daysLeft?: number;
  /** The security settings page (`<publicUrl>/settings/security`). */
  settingsUrl: string;
  help: { phone: string; email: string };
}

/** Renders a security notice (SPEC X4). */
export type RenderSecurityNotice = (input: SecurityNoticeInput) => OutgoingMail;

/** A mail or text message that development mode kept instead of sending. */
export interface DevOutboxEntry {
  id: string;
  channel: 'mail' | 'sms';
  to: string;
  from: string | null;
  subject: string | null;
  text: string;
  html: string | null;
  createdAt: Date;
}

export type NewDevOutboxEntry = Omit<DevOutboxEntry, 'id' | 'createdAt'>;

/** Where development mode keeps mail and text messages (the /dev/outbox page and `postern outbox`). */
export interface DevOutbox {
  add(entry: NewDevOutboxEntry, now: Date): Promise<DevOutboxEntry>;
  /** Newest first. */
  list(filter?: { to?: string; channel?: 'mail' | 'sms'; limit?: number }): Promise<DevOutboxEntry[]>;
  get(id: string): Promise<DevOutboxEntry | undefined>;
  clear(): Promise<number>;
}
