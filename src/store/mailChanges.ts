// The account's mail change log, written inside the transaction that makes the change: JMAP states
// and /changes for Email, Mailbox and Thread, whichever protocol changed the mail.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChangeKind, ThreadSource } from '../mail/types.ts';
import { threadKeys } from '../mail/threading.ts';
import { compiledStatement } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import { unindexEmails } from './searchIndex.ts';
import './mailTables.ts';

type Trx = Kysely<Database>;
export type ChangeOp = 'c' | 'u' | 'd';

/** An Email is the same bytes in one or more mailboxes of an account; its id comes from the blob's. */
export const emailIdOf = (blobId: string) => `M${blobId}`;
export const blobIdOfEmail = (emailId: string): string | null => (/^M[0-9a-f]{64}$/.test(emailId) ? emailId.slice(1) : null);

const strength: Record<ChangeOp, number> = { u: 0, c: 1, d: 2 };

const nextSeq = compiledStatement((trx: Trx, accountId: string) =>
  trx
    .insertInto('mail_state')
    .values({ account_id: accountId, seq: 1 })
    .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ seq: eb('mail_state.seq', '+', 1) })))
    .returning('seq'),
);
/** The changes as kind, id, op, kind, id, op… */
const changesAdded = compiledStatement((trx: Trx, accountId: string, seq: number, ...changes: string[]) =>
  trx.insertInto('mail_changes').values(chunks(changes, 3).map(([kind, id, op]) => ({ account_id: accountId, seq, kind: kind as ChangeKind, object_id: id, op: op as ChangeOp }))),
  3 * 8,
);

/** How many arguments a thread lookup or insert may have and still be kept compiled (a delivery has a few). */
const keptThreadArguments = 64;
const threadsOfBlobs = compiledStatement(
  (trx: Trx, accountId: string, ...blobIds: string[]) => trx.selectFrom('messages').select(['blob_id', 'thread_id']).distinct().where('account_id', '=', accountId).where('blob_id', 'in', blobIds),
  keptThreadArguments,
);
const threadsOfKeys = compiledStatement(
  (trx: Trx, accountId: string, ...keys: string[]) => trx.selectFrom('thread_keys').select(['key', 'thread_id']).where('account_id', '=', accountId).where('key', 'in', keys),
  keptThreadArguments,
);
/** The keys as account, key, thread, account, key, thread… */
const threadKeysAdded = compiledStatement(
  (trx: Trx, ...keys: string[]) =>
    trx
      .insertInto('thread_keys')
      .values(chunks(keys, 3).map(([account_id, key, thread_id]) => ({ account_id, key, thread_id })))
      .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing()),
  keptThreadArguments,
);

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
    const [{ seq }] = await nextSeq(trx, accountId);
    const changes = [...this.#changes.values()].flatMap((c) => [c.kind, c.id, c.op]);
    for (let i = 0; i < changes.length; i += 3 * 500) await changesAdded(trx, accountId, seq, ...changes.slice(i, i + 3 * 500));
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
 * The thread each new row joins, in order: that of the same Email in another mailbox (or earlier in
 * `rows`), else the thread of the first of its keys already known, else a new one. Threads never
 * merge later, so a threadId never changes (RFC 8621 §4.1.1: immutable). Looked up a chunk of rows
 * at a time, so that storing many messages costs a few queries, not a few per message.
 */
export async function assignThreads(trx: Trx, accountId: string, rows: (ThreadSource & { blobId: string })[], changes: ChangeSet): Promise<{ threadId: string; newEmail: boolean }[]> {
  const byBlob = new Map<string, string>();
  // Emails stored before threads existed have rows without one: not new, but given a thread by key.
  const stored = new Set<string>();
  for (const blobs of chunks([...new Set(rows.map((r) => r.blobId))], 500)) {
    const found = await threadsOfBlobs(trx, accountId, ...blobs);
    for (const f of found) {
      stored.add(f.blob_id);
      if (f.thread_id) byBlob.set(f.blob_id, f.thread_id);
    }
  }
  const keysOf = rows.map((r) => (byBlob.has(r.blobId) ? [] : threadKeys(r)));
  const byKey = new Map<string, string>();
  for (const keys of chunks([...new Set(keysOf.flat())], 500)) {
    const known = await threadsOfKeys(trx, accountId, ...keys);
    for (const k of known) byKey.set(k.key, k.thread_id);
  }
  const fresh: string[][] = [];
  const result = rows.map((r, i) => {
    const same = byBlob.get(r.blobId);
    if (same) return { threadId: same, newEmail: false };
    const keys = keysOf[i];
    const found = keys.map((k) => byKey.get(k)).find((t) => t !== undefined);
    const threadId = found ?? `T${randomBytes(12).toString('base64url')}`;
    for (const key of keys.filter((k) => !byKey.has(k))) {
      byKey.set(key, threadId);
      fresh.push([accountId, key, threadId]);
    }
    byBlob.set(r.blobId, threadId);
    changes.add('Thread', threadId, found ? 'u' : 'c');
    const newEmail = !stored.has(r.blobId);
    stored.add(r.blobId);
    return { threadId, newEmail };
  });
  for (const part of chunks(fresh, 500)) await threadKeysAdded(trx, ...part.flat());
  return result;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
