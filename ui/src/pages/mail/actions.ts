// What the toolbar, the keyboard and drag-and-drop do to messages: Email/set patches (RFC 8621 §4.6).
import { archiveName, findRole, type Mailbox } from './mailboxes.ts';
import { jmap, JmapError, type Args } from './jmap.ts';
import { changed } from './push.ts';

const batch = 500;

async function update(ids: string[], patch: (id: string) => Args): Promise<void> {
  for (let i = 0; i < ids.length; i += batch) {
    const slice = ids.slice(i, i + batch);
    await jmap([['Email/set', { update: Object.fromEntries(slice.map((id) => [id, patch(id)])) }]]);
  }
  changed();
}

export const setKeyword = (ids: string[], keyword: string, on: boolean) => update(ids, () => ({ [`keywords/${keyword}`]: on ? true : null }));

/** Moves messages into `to` from wherever they are (all their folders). */
export const moveTo = (ids: string[], to: string) => update(ids, () => ({ mailboxIds: { [to]: true } }));

export async function destroy(ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += batch) await jmap([['Email/set', { destroy: ids.slice(i, i + batch) }]]);
  changed();
}

/** Every message id in a folder (select-all-in-folder, empty Trash/Junk). */
export async function allIds(mailboxId: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const [q] = await jmap([['Email/query', { filter: { inMailbox: mailboxId }, position: out.length, limit: 1000 }]]);
    out.push(...(q.ids as string[]));
    if ((q.ids as string[]).length < 1000) return out;
  }
}

/** The ids of every message of the given threads (conversation view acts on whole conversations). */
export async function threadEmailIds(threadIds: string[]): Promise<string[]> {
  if (threadIds.length === 0) return [];
  const [t] = await jmap([['Thread/get', { ids: threadIds }]]);
  return (t.list as { emailIds: string[] }[]).flatMap((x) => x.emailIds);
}

/** The archive folder, made on first use; asked of the server, since the page's list may lag behind. */
export async function archiveBox(): Promise<string> {
  const [r] = await jmap([['Mailbox/get', { properties: ['name', 'parentId', 'role'] }]]);
  const found = (r.list as Mailbox[]).find((b) => b.parentId === null && !b.role && b.name === archiveName);
  if (found) return found.id;
  const [made] = await jmap([['Mailbox/set', { create: { a: { name: archiveName, parentId: null } } }]]);
  return made.created.a.id as string;
}

/** Delete: to Trash, or for good when already in Trash (the caller has asked to confirm). */
export async function remove(ids: string[], boxes: Mailbox[], currentBox: Mailbox | undefined): Promise<void> {
  const trash = findRole(boxes, 'trash');
  if (!trash || currentBox?.id === trash.id) return destroy(ids);
  return moveTo(ids, trash.id);
}

export async function reportSpam(ids: string[], boxes: Mailbox[], spam: boolean): Promise<void> {
  const to = findRole(boxes, spam ? 'junk' : 'inbox');
  if (!to) return;
  await update(ids, () => ({ mailboxIds: { [to.id]: true }, [`keywords/$junk`]: spam ? true : null, [`keywords/$notjunk`]: spam ? null : true }));
}

export async function createFolder(name: string, parentId: string | null): Promise<void> {
  const [r] = await jmap([['Mailbox/set', { create: { n: { name, parentId } } }]]);
  if (r.notCreated?.n) throw new Error(r.notCreated.n.description ?? r.notCreated.n.type);
  changed();
}

export async function renameFolder(id: string, name: string): Promise<void> {
  const [r] = await jmap([['Mailbox/set', { update: { [id]: { name } } }]]);
  if (r.notUpdated?.[id]) throw new Error(r.notUpdated[id].description ?? r.notUpdated[id].type);
  changed();
}

/** Deletes a folder and what is in it (the caller has asked to confirm). */
export async function deleteFolder(id: string): Promise<void> {
  const [r] = await jmap([['Mailbox/set', { destroy: [id], onDestroyRemoveEmails: true }]]);
  if (r.notDestroyed?.[id]) throw new JmapError(r.notDestroyed[id].type, r.notDestroyed[id].description);
  changed();
}

export const emptyFolder = async (id: string) => destroy(await allIds(id));

