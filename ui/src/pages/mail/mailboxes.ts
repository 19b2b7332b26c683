// The account's folders: roles first in a fixed order, then the user's folders as a tree.
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { jmap } from './jmap.ts';
import { usePushVersion } from './push.ts';

export interface Mailbox {
  id: string;
  name: string;
  parentId: string | null;
  role: string | null;
  totalEmails: number;
  unreadEmails: number;
  /** Nesting level in the tree (0 for top level). */
  depth: number;
}

const roleOrder = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'];
/** The archive has no JMAP role here: it is the top-level folder of this name, made on first use. */
export const archiveName = '归档';

const roleOf = (b: { role: string | null; name: string; parentId: string | null }) => b.role ?? (b.parentId === null && b.name === archiveName ? 'archive' : null);

export function orderMailboxes(list: Omit<Mailbox, 'depth'>[]): Mailbox[] {
  const withRoles = list.map((b) => ({ ...b, role: roleOf(b) }));
  const system = withRoles.filter((b) => b.role).sort((a, b) => roleOrder.indexOf(a.role!) - roleOrder.indexOf(b.role!));
  const out: Mailbox[] = system.map((b) => ({ ...b, depth: 0 }));
  const children = (parentId: string | null, depth: number) => {
    for (const b of withRoles.filter((x) => !x.role && x.parentId === parentId).sort((x, y) => x.name.localeCompare(y.name))) {
      out.push({ ...b, depth });
      children(b.id, depth + 1);
    }
  };
  children(null, 0);
  // Folders under a system folder (INBOX/work) come after the top-level ones.
  for (const s of system) children(s.id, 1);
  return out;
}

/** A folder's name as shown: system folders in the page's language. */
export const mailboxLabel = (b: Mailbox, t: TFunction) => (b.role ? t(`webmail.role.${b.role}`) : b.name);

export function useMailboxes(): { boxes: Mailbox[] | null; reload: () => void } {
  const version = usePushVersion();
  const [boxes, setBoxes] = useState<Mailbox[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    jmap([['Mailbox/get', { properties: ['id', 'name', 'parentId', 'role', 'totalEmails', 'unreadEmails'] }]]).then(
      ([r]) => live && setBoxes(orderMailboxes(r.list)),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [version, tick]);
  return { boxes, reload: () => setTick((n) => n + 1) };
}

export const findRole = (boxes: Mailbox[] | null, role: string) => boxes?.find((b) => b.role === role);
