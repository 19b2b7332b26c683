import type { Logger } from 'pino';
import { isLang, defaultLang } from '../i18n/index.ts';
import type { Audit } from './audit.ts';
import type { MailOut, NoticeKind, OutgoingMail, RenderSecurityNotice } from './messagePorts.ts';
import { methodKinds, type AccountRepo, type AuditEvent, type MethodKind } from './ports.ts';
import type { DescribeUserAgent } from './requestPorts.ts';

export interface SecurityNoticesDeps {
  accounts: AccountRepo;
  audit: Audit;
  /** The bound backup address, if any. */
  backupEmail(accountId: string): Promise<string | null>;
  twoFactorOn(accountId: string): Promise<boolean>;
  /** Stores the notice in the account's own INBOX. */
  deliverLocal(accountId: string, mail: OutgoingMail): Promise<void>;
  mailOut: MailOut;
  render: RenderSecurityNotice;
  /** Tells whether two sign-ins came from the same OS and browser. */
  describeUserAgent: DescribeUserAgent;
  log: Logger;
  timeZone: string;
  publicUrl: string;
  help: { phone: string; email: string };
}

/** Administrator changes of an account that its owner is mailed about (SPEC X12); a reset and a new password have notices of their own. */
const adminActions = new Set(['account_disabled', 'account_enabled', 'quota_changed', 'admin_flag_changed', 'alias_added', 'alias_removed', 'two_factor_exempted', 'two_factor_exemption_removed', 'signed_out_everywhere']);

/** How many recent events a sign-in is compared with to decide whether its device is new. */
const recentEvents = 50;

/**
 * Security notices (SPEC X4), sent after the audit records an event: into the account's INBOX and,
 * when one is bound, to the backup address. Sending runs beside the user's action and never fails it.
 */
export class SecurityNotices {
  readonly #d: SecurityNoticesDeps;
  readonly #pending = new Set<Promise<void>>();

  constructor(deps: SecurityNoticesDeps) {
    this.#d = deps;
    deps.audit.onRecord((event) => this.#track(event));
  }

  /** Resolves when every notice started so far is delivered or has failed (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #track(event: AuditEvent): void {
    const work = this.#notify(event).catch((err: unknown) => this.#d.log.warn({ err, event: event.id }, 'security notice not sent'));
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #kind(event: AuditEvent & { accountId: string }): Promise<NoticeKind | null> {
    switch (event.type) {
      case 'login_succeeded':
        return (await this.#isNewDevice(event)) ? 'new_device' : null;
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

  /**
   * A sign-in is from a new device when the browser was not trusted (C7) and no earlier successful
   * sign-in among the account's recent events had the same IP, OS and browser. The very first
   * sign-in of an account has nothing to compare with and sends no notice.
   */
  async #isNewDevice(event: AuditEvent & { accountId: string }): Promise<boolean> {
    if (event.detail.trustedDevice === true) return false;
    const earlier = (await this.#d.audit.list(event.accountId, recentEvents)).filter((e) => e.type === 'login_succeeded' && e.id < event.id);
    return earlier.length > 0 && !earlier.some((e) => this.#sameDevice(e, event));
  }

  #sameDevice(a: AuditEvent, b: AuditEvent): boolean {
    const ua = (e: AuditEvent) => this.#d.describeUserAgent(e.userAgent ?? undefined);
    return a.ip === b.ip && ua(a).os === ua(b).os && ua(a).browser === ua(b).browser;
  }

  async #notify(event: AuditEvent): Promise<void> {
    if (!event.accountId) return;
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
    const backup = await this.#d.backupEmail(account.id);
    const sends = [this.#d.deliverLocal(account.id, notice(account.address))];
    if (backup) sends.push(this.#d.mailOut.send(notice(backup)));
    const failed = (await Promise.allSettled(sends)).filter((r) => r.status === 'rejected');
    for (const r of failed) this.#d.log.warn({ err: r.reason, account: account.id, kind }, 'security notice not delivered');
  }
}
