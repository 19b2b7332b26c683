import { PosternError } from '../core/errors.ts';
import type { SpecialUse } from './types.ts';

export const separator = '/';

/** The mailboxes every account has; names are stored in Unicode, clients find them by SPECIAL-USE. */
export const defaultMailboxes: { name: string; specialUse: SpecialUse | null }[] = [
  { name: 'INBOX', specialUse: null },
  { name: '已发送', specialUse: '\\Sent' },
  { name: '草稿', specialUse: '\\Drafts' },
  { name: '已删除', specialUse: '\\Trash' },
  { name: '垃圾邮件', specialUse: '\\Junk' },
];

const maxNameLength = 255;

/**
 * A mailbox path as stored: NFC, levels separated by `/`, no empty level, no control characters,
 * and INBOX (case-insensitive, RFC 3501 §5.1) spelled `INBOX`.
 */
export function normalizeMailboxName(input: string): string {
  const name = input.normalize('NFC');
  const levels = name.split(separator);
  if (!name || name.length > maxNameLength || levels.some((l) => l.trim() === '') || /[\0-\x1f\x7f*%]/.test(name)) {
    throw new PosternError('invalid_mailbox_name', { name: input.slice(0, 100) });
  }
  if (levels[0].toUpperCase() === 'INBOX') levels[0] = 'INBOX';
  return levels.join(separator);
}

/** Every ancestor of a path, outermost first: `a/b/c` → `a`, `a/b`. */
export const ancestors = (name: string): string[] =>
  name.split(separator).slice(0, -1).map((_, i, levels) => levels.slice(0, i + 1).join(separator));
