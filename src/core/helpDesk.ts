import type { AppPasswords } from './appPasswords.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import type { MethodKind } from './ports.ts';
import type { Revocations } from './revocation.ts';
import type { Sessions } from './sessions.ts';
import type { TwoFactor } from './twoFactor.ts';

export interface HelpDeskDeps {
  twoFactor: TwoFactor;
  sessions: Sessions;
  appPasswords: AppPasswords;
  audit: Audit;
  revocations: Revocations;
}

export interface ResetTwoFactorOptions {
  /** Why: the ticket or how the identity was checked. Kept in the audit log for administrators only. */
  note: string;
  /** App passwords keep working with 2FA off (SPEC E4); a lost phone usually means they should go too. */
  keepAppPasswords?: boolean;
}

export interface ResetSummary {
  methods: MethodKind[];
  trustedDevices: number;
  sessions: number;
  /** How many client passwords were deleted; null when they were kept. */
  appPasswords: number | null;
}

export const maxResetNoteLength = 500;

/**
 * Turns an account's 2FA off for its owner who lost every method (SPEC X5): unbinds all methods,
 * revokes trusted devices and web sessions, deletes client passwords unless kept, ends the mail
 * sessions of the revoked credentials on every node (X9), and records
 * `admin_reset_2fa` with the note. The note is stored as `note`, not `reason`: the owner's activity
 * page shows a `reason` and must not show the help desk's words.
 */
export async function resetTwoFactor(d: HelpDeskDeps, accountId: string, options: ResetTwoFactorOptions, request: RequestInfo): Promise<ResetSummary> {
  const note = options.note.trim();
  if (!note || note.length > maxResetNoteLength || /[\0-\x1f\x7f]/.test(note)) throw new PosternError('invalid_reset_note', { max: maxResetNoteLength });
  const { methods, trustedDevices } = await d.twoFactor.resetAll(accountId, request);
  const sessions = await d.sessions.signOutAll(accountId);
  const appPasswords = options.keepAppPasswords ? null : await d.appPasswords.removeAll(accountId, 'two_factor_reset');
  await d.revocations.publish({ accountId, reason: 'two_factor_reset', credentials: { password: true, appPasswordIds: [] } });
  await d.audit.record(accountId, 'admin_reset_2fa', request, { note, methods: methods.join(','), trustedDevices, sessions, appPasswords });
  return { methods, trustedDevices, sessions, appPasswords };
}

/**
 * Signs an account out everywhere: every web session ends, and so does every open IMAP, POP3 and
 * SMTP session on every node (X9); mail clients with a valid client password may log in again.
 */
export async function signOutEverywhere(d: Pick<HelpDeskDeps, 'sessions' | 'revocations' | 'audit'>, accountId: string, request: RequestInfo): Promise<{ sessions: number }> {
  const sessions = await d.sessions.signOutAll(accountId);
  await d.revocations.publish({ accountId, reason: 'signed_out_everywhere', credentials: 'all' });
  await d.audit.record(accountId, 'signed_out_everywhere', request, { sessions });
  return { sessions };
}
