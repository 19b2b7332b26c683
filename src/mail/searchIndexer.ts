// The full-text index is written after delivery, not in its transaction: finding a message's words
// costs more than the rest of storing it, and many Emails written in one transaction share the
// index pages they touch (one transaction per message wrote a page per word). A search first
// indexes what its account still has waiting, so it finds every Email stored before it.
import { indexWords } from './parsing.ts';
import type { BlobStore, IndexedEmail, QueuedEmail, SearchBacklogRepo } from './types.ts';

/** Emails written per transaction, and taken off the queue per round of a pass. */
const batch = 200;
const round = 4 * batch;
/** Emails read and parsed at a time: enough that the pool's threads never wait for a file read. */
const parallel = 8;
/** The background pass starts once nothing was queued for this long: deliveries go first... */
export const quietMs = 1000;
/** ...unless the oldest waiting Email has waited this long. */
export const maxWaitMs = 30_000;

export class SearchIndexer {
  readonly #repo: SearchBacklogRepo;
  readonly #blobs: BlobStore;
  /** Catch-ups under way, per account: a second search waits for the first's. */
  readonly #catchingUp = new Map<string, Promise<void>>();
  #background = false;

  constructor(repo: SearchBacklogRepo, blobs: BlobStore) {
    this.#repo = repo;
    this.#blobs = blobs;
  }

  /** Indexes every Email the account has waiting. */
  catchUp(accountId: string): Promise<void> {
    let running = this.#catchingUp.get(accountId);
    if (!running) {
      running = (async () => {
        for (let list = await this.#repo.waiting(accountId, round); list.length > 0; list = await this.#repo.waiting(accountId, round)) await this.#index(list);
      })().finally(() => this.#catchingUp.delete(accountId));
      this.#catchingUp.set(accountId, running);
    }
    return running;
  }

  /** The background pass: indexes what waits, any account's, while deliveries leave room (see quietMs); returns how many. */
  async runDue(now: () => number = Date.now): Promise<number> {
    if (this.#background) return 0;
    this.#background = true;
    let done = 0;
    try {
      for (;;) {
        const times = await this.#repo.times();
        if (!times || (now() - times.newest < quietMs && now() - times.oldest < maxWaitMs)) return done;
        const list = await this.#repo.waiting(null, round);
        await this.#index(list);
        done += list.length;
      }
    } finally {
      this.#background = false;
    }
  }

  async #index(list: QueuedEmail[]): Promise<void> {
    // While a batch's words are written (on this thread), the pool's threads find the next batch's.
    let writing: Promise<void> = Promise.resolve();
    for (let i = 0; i < list.length; i += batch) {
      const emails = await this.#words(list.slice(i, i + batch));
      await writing;
      writing = this.#repo.index(emails);
      // Its failure is thrown where it is awaited, not reported meanwhile as unhandled.
      writing.catch(() => {});
    }
    await writing;
  }

  async #words(list: QueuedEmail[]): Promise<IndexedEmail[]> {
    const emails: IndexedEmail[] = [];
    for (let i = 0; i < list.length; i += parallel) {
      const part = list.slice(i, i + parallel).map(async (e) => {
        const raw = await this.#blobs.get(e.blobId);
        // Bytes gone (a damaged store): nothing to find it by, and off the queue.
        return { ...e, words: raw ? await indexWords(raw) : [] };
      });
      emails.push(...(await Promise.all(part)));
    }
    return emails;
  }
}
