import type { AppPasswords } from './appPasswords.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import type { MethodKind } from './ports.ts';
import type { Sessions } from './sessions.ts';
import type { TwoFactor } from './twoFactor.ts';

export interface HelpDeskDeps {
  twoFactor: TwoFactor;
  sessions: Sessions;
  appPasswords: AppPasswords;
  audit: Audit;
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
 * revokes trusted devices and web sessions, deletes client passwords unless kept, and records
 * `admin_reset_2fa` with the note. The note is stored as `note`, not `reason`: the owner's activity
 * page shows a `reason` and must not show the help desk's words.
 */
export async function resetTwoFactor(d: HelpDeskDeps, accountId: string, options: ResetTwoFactorOptions, request: RequestInfo): Promise<ResetSummary> {
  const note = options.note.trim();
  if (!note || note.length > maxResetNoteLength || /[\0-\x1f\x7f]/.test(note)) throw new PosternError('invalid_reset_note', { max: maxResetNoteLength });
  const { methods, trustedDevices } = await d.twoFactor.resetAll(accountId, request);
  const sessions = await d.sessions.signOutAll(accountId);
  const appPasswords = options.keepAppPasswords ? null : await d.appPasswords.removeAll(accountId);
  await d.audit.record(accountId, 'admin_reset_2fa', request, { note, methods: methods.join(','), trustedDevices, sessions, appPasswords });
  return { methods, trustedDevices, sessions, appPasswords };
}
