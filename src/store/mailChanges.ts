// The account's mail change log, written inside the transaction that makes the change: JMAP states
// and /changes for Email, Mailbox and Thread, whichever protocol changed the mail.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChangeKind, ThreadSource } from '../mail/types.ts';
import { threadKeys } from '../mail/threading.ts';
import type { Database } from './schema.ts';
import { unindexEmails } from './searchIndex.ts';
import './mailTables.ts';

type Trx = Kysely<Database>;
export type ChangeOp = 'c' | 'u' | 'd';

/** An Email is the same bytes in one or more mailboxes of an account; its id comes from the blob's. */
export const emailIdOf = (blobId: string) => `M${blobId}`;
export const blobIdOfEmail = (emailId: string): string | null => (/^M[0-9a-f]{64}$/.test(emailId) ? emailId.slice(1) : null);

const strength: Record<ChangeOp, number> = { u: 0, c: 1, d: 2 };

export class ChangeSet {
  readonly #changes = new Map<string, { kind: ChangeKind; id: string; op: ChangeOp }>();

  add(kind: ChangeKind, id: string, op: ChangeOp): this {
    const key = `${kind}:${id}`;
    const had = this.#changes.get(key);
    // Created and destroyed in one transaction: nobody saw it; created then updated: still created.
    if (had && had.op === 'c' && op === 'd') this.#changes.delete(key);
    else if (!had || strength[op] > strength[had.op]) this.#changes.set(key, { kind, id, op });
    return this;
  }

  get size(): number {
    return this.#changes.size;
  }

  /** Writes the changes under the account's next sequence number. */
  async write(trx: Trx, accountId: string): Promise<void> {
    if (this.#changes.size === 0) return;
    const { seq } = await trx
      .insertInto('mail_state')
      .values({ account_id: accountId, seq: 1 })
      .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ seq: eb('mail_state.seq', '+', 1) })))
      .returning('seq')
      .executeTakeFirstOrThrow();
    const rows = [...this.#changes.values()].map((c) => ({ account_id: accountId, seq, kind: c.kind, object_id: c.id, op: c.op }));
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('mail_changes').values(rows.slice(i, i + 500)).execute();
  }
}

/**
 * After rows went away: each of the blobs (Emails) and threads that has no row left in the
 * account is destroyed, the others updated.
 */
export async function noteRemoved(trx: Trx, accountId: string, gone: { blob_id: string; thread_id: string | null }[], changes: ChangeSet): Promise<void> {
  if (gone.length === 0) return;
  const blobs = [...new Set(gone.map((g) => g.blob_id))];
  const threads = [...new Set(gone.flatMap((g) => (g.thread_id ? [g.thread_id] : [])))];
  const left = new Set<string>();
  for (let i = 0; i < blobs.length; i += 500) {
    const rows = await trx.selectFrom('messages').select('blob_id').distinct().where('account_id', '=', accountId).where('blob_id', 'in', blobs.slice(i, i + 500)).execute();
    for (const r of rows) left.add(r.blob_id);
  }
  const threadsLeft = new Set<string>();
  for (let i = 0; i < threads.length; i += 500) {
    const rows = await trx.selectFrom('messages').select('thread_id').distinct().where('account_id', '=', accountId).where('thread_id', 'in', threads.slice(i, i + 500)).execute();
    for (const r of rows) if (r.thread_id) threadsLeft.add(r.thread_id);
  }
  for (const b of blobs) changes.add('Email', emailIdOf(b), left.has(b) ? 'u' : 'd');
  await unindexEmails(trx, accountId, blobs.filter((b) => !left.has(b)));
  for (const t of threads) changes.add('Thread', t, threadsLeft.has(t) ? 'u' : 'd');
}

/**
 * The thread a new row joins: that of the same Email in another mailbox, else the thread of the
 * first of its keys already known, else a new one. Threads never merge later, so a threadId
 * never changes (RFC 8621 §4.1.1: immutable).
 */
export async function assignThread(trx: Trx, accountId: string, blobId: string, m: ThreadSource, changes: ChangeSet): Promise<{ threadId: string; newEmail: boolean }> {
  const same = await trx.selectFrom('messages').select('thread_id').where('account_id', '=', accountId).where('blob_id', '=', blobId).limit(1).executeTakeFirst();
  if (same?.thread_id) return { threadId: same.thread_id, newEmail: false };
  const keys = threadKeys(m);
  const known = keys.length
    ? await trx.selectFrom('thread_keys').select(['key', 'thread_id']).where('account_id', '=', accountId).where('key', 'in', keys).execute()
    : [];
  const byKey = new Map(known.map((k) => [k.key, k.thread_id]));
  const found = keys.map((k) => byKey.get(k)).find((t) => t !== undefined);
  const threadId = found ?? `T${randomBytes(12).toString('base64url')}`;
  const fresh = keys.filter((k) => !byKey.has(k)).map((key) => ({ account_id: accountId, key, thread_id: threadId }));
  if (fresh.length > 0) await trx.insertInto('thread_keys').values(fresh).onConflict((oc) => oc.columns(['account_id', 'key']).doNothing()).execute();
  changes.add('Thread', threadId, found ? 'u' : 'c');
  return { threadId, newEmail: !same };
}
