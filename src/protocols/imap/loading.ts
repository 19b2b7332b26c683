// The messages FETCH and SEARCH read, loaded a batch at a time: one backend lookup per batch rather
// than per message, and no more than about `batchBytes` of message bytes held at once.
import type { LoadedMessage, LoadWanted, MessageMeta } from './backend.ts';
import type { ImapSession } from './session.ts';

const batchBytes = 4 * 1024 * 1024;
const batchCount = 256;
const nothing: LoadedMessage = { raw: null, structure: null };

/** Each batch of `targets` with what was loaded for it; undefined for a message expunged meanwhile. */
export async function* loadInBatches<T extends { message: MessageMeta }>(session: ImapSession, mailboxId: string, targets: T[], want: LoadWanted): AsyncGenerator<[T, LoadedMessage | undefined][]> {
  if (!want.raw && !want.structure) {
    for (let i = 0; i < targets.length; i += batchCount) yield targets.slice(i, i + batchCount).map((t) => [t, nothing]);
    return;
  }
  for (let start = 0; start < targets.length; ) {
    let end = start;
    let bytes = 0;
    while (end < targets.length && end - start < batchCount && (end === start || !want.raw || bytes + targets[end].message.size <= batchBytes)) bytes += targets[end++].message.size;
    const batch = targets.slice(start, end);
    const loaded = await session.ctx.backend.loadMessages(session.accountId!, mailboxId, batch.map((t) => t.message.uid), want);
    yield batch.map((t) => [t, loaded.get(t.message.uid)]);
    start = end;
  }
}
