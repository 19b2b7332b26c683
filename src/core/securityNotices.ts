import type { Logger } from 'pino';
import { isLang, defaultLang } from '../i18n/index.ts';
import type { Audit } from './audit.ts';
import type { MailOut, NoticeKind, OutgoingMail, RenderSecurityNotice } from './messagePorts.ts';
import { methodKinds, type AccountRepo, type AuditEvent, type MethodKind } from './ports.ts';
import type { SideEffect, SideEffects } from './sideEffects.ts';

export interface SecurityNoticesDeps {
  accounts: AccountRepo;
  audit: Audit;
  /** Where the notices of an event wait, written with it, until a node sends them. */
  effects: SideEffects;
  /** The bound backup address, if any. */
  backupEmail(accountId: string): Promise<string | null>;
  twoFactorOn(accountId: string): Promise<boolean>;
  /** Stores the notice in the account's own INBOX. */
  deliverLocal(accountId: string, mail: OutgoingMail): Promise<void>;
  mailOut: MailOut;
  render: RenderSecurityNotice;
  log: Logger;
  timeZone: string;
  publicUrl: string;
  help: { phone: string; email: string };
}

/** Administrator changes of an account that its owner is mailed about (SPEC X12); a reset and a new password have notices of their own. */
const adminActions = new Set(['account_disabled', 'account_enabled', 'quota_changed', 'admin_flag_changed', 'alias_added', 'alias_removed', 'two_factor_exempted', 'two_factor_exemption_removed', 'signed_out_everywhere']);

/** Event types that may have a notice; which one (if any) is decided when it is sent (a sign-in's, when it is recorded). */
const noticeTypes = new Set(['login_succeeded', 'method_unbound', 'admin_reset_2fa', 'two_factor_reminder', 'second_factor_failed', 'method_bound', 'method_changed', 'app_password_created', 'password_changed', 'lockout_started', 'app_password_new_network', 'step_up_failed_repeatedly']);

/**
 * Security notices (SPEC X4) of audit events: into the account's INBOX and, when one is bound, to
 * the backup address. Each is a side effect written with the event, so a notice survives the node
 * that recorded it; sending runs beside the user's action and never fails it.
 */
export class SecurityNotices {
  readonly #d: SecurityNoticesDeps;

  constructor(deps: SecurityNoticesDeps) {
    this.#d = deps;
    deps.audit.reports((event) => this.#sideEffects(event));
    deps.effects.handle('notice_inbox', (item) => this.#send(item, 'inbox')).handle('notice_backup', (item) => this.#send(item, 'backup'));
  }

  /** Resolves when every notice started so far is delivered or waits for a retry (tests, shutdown). */
  settled(): Promise<void> {
    return this.#d.effects.settled();
  }

  #sideEffects(event: AuditEvent): SideEffect[] {
    if (!event.accountId || event.detail.trustedDevice === true) return [];
    // The login flow decided whether the device is new as it recorded the sign-in (newDevices.ts).
    if (event.type === 'login_succeeded' && event.detail.newDevice !== true) return [];
    const admin = typeof event.detail.operator === 'string' && adminActions.has(event.type);
    if (!noticeTypes.has(event.type) && !admin) return [];
    return [this.#d.effects.item('notice_inbox', event.id, event.accountId), this.#d.effects.item('notice_backup', event.id, event.accountId)];
  }

  async #kind(event: AuditEvent & { accountId: string }): Promise<NoticeKind | null> {
    switch (event.type) {
      // Its notices are written only for a new device.
      case 'login_succeeded':
        return 'new_device';
      case 'method_unbound':
        return (await this.#d.twoFactorOn(event.accountId)) ? 'method_unbound' : 'two_factor_off';
      case 'admin_reset_2fa':
        return 'two_factor_reset';
      case 'two_factor_reminder':
        return 'two_factor_required_soon';
      // A signed answer from another site or key, or a key's counter going back: phishing or a cloned key.
      case 'second_factor_failed':
        return event.detail.suspicious === true ? 'key_refused' : null;
      case 'method_bound':
      case 'method_changed':
      case 'app_password_created':
      case 'password_changed':
      case 'lockout_started':
      case 'app_password_new_network':
      case 'step_up_failed_repeatedly':
        return event.type;
      default:
        // X12: what an administrator did to the account, told to its owner.
        return typeof event.detail.operator === 'string' && adminActions.has(event.type) ? 'admin_action' : null;
    }
  }

  /** Sends the notice of one event to one place; a notice the event turns out not to need is done at once. */
  async #send(item: SideEffect, where: 'inbox' | 'backup'): Promise<void> {
    const event = await this.#d.audit.get(item.payload);
    if (!event?.accountId) return;
    const kind = await this.#kind({ ...event, accountId: event.accountId });
    if (!kind) return;
    const account = await this.#d.accounts.findById(event.accountId);
    if (!account) return;
    const method = typeof event.detail.method === 'string' && (methodKinds as readonly string[]).includes(event.detail.method) ? (event.detail.method as MethodKind) : undefined;
    const notice = (to: string) => this.#d.render({
      lang: isLang(account.language) ? account.language : defaultLang,
      kind,
      account,
      to,
      method,
      appPasswordName: typeof event.detail.name === 'string' ? event.detail.name : undefined,
      admin: kind === 'admin_action' ? { actor: String(event.detail.operator), type: event.type, address: typeof event.detail.address === 'string' ? event.detail.address : undefined } : undefined,
      daysLeft: typeof event.detail.days === 'number' ? event.detail.days : undefined,
      at: event.at,
      timeZone: this.#d.timeZone,
      ip: event.ip ?? '',
      userAgent: event.userAgent ?? undefined,
      settingsUrl: `${this.#d.publicUrl.replace(/\/+$/, '')}/settings/security`,
      help: this.#d.help,
    });
    if (where === 'inbox') return this.#d.deliverLocal(account.id, notice(account.address));
    const backup = await this.#d.backupEmail(account.id);
    if (backup) await this.#d.mailOut.send(notice(backup));
  }
}
