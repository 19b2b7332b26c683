// The IMAP and POP3 storage ports over the mail store: mailboxes, messages and change events
// (`mailbox:<id>` on the bus, so IDLE wakes for deliveries on any node).
import { isResync } from '../state/bus.ts';
import { PosternError, type ErrorCode } from '../core/errors.ts';
import { bilingual } from '../i18n/index.ts';
import { mailboxTopic, type MailEvent, type MailStore } from '../mail/mailStore.ts';
import type { MailboxRecord, UidRanges } from '../mail/types.ts';
import { BackendError, type CopyResult, type FlagOperation, type ImapBackend, type LoadedMessage, type LoadWanted, type MailboxChange, type MailboxInfo, type NewImapMessage, type OpenMailbox } from './imap/backend.ts';
import type { Maildrop, Pop3Backend } from './pop3/backend.ts';


/** The store's refusals and their IMAP response codes; the text is `protocol.mailbox.<code>`. */
const refusals: Partial<Record<ErrorCode, BackendError['code']>> = {
  unknown_mailbox: 'NONEXISTENT',
  mailbox_deleted: 'NONEXISTENT',
  mailbox_exists: 'ALREADYEXISTS',
  mailbox_protected: 'CANNOT',
  mailbox_has_children: 'CANNOT',
  invalid_mailbox_name: 'CANNOT',
  quota_exceeded: 'OVERQUOTA',
  message_too_large: 'LIMIT',
};

/** Turns the store's errors into protocol refusals; anything else stays an internal error. */
async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const refusal = err instanceof PosternError ? refusals[err.code] : undefined;
    if (refusal) throw new BackendError(refusal, bilingual(`protocol.mailbox.${(err as PosternError).code}`));
    throw err;
  }
}

export function toRanges(uids: number[]): UidRanges {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const ranges: UidRanges = [];
  for (const uid of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === uid - 1) last[1] = uid;
    else ranges.push([uid, uid]);
  }
  return ranges;
}

export class MailStoreBackend implements ImapBackend, Pop3Backend {
  readonly mail: MailStore;
  /** Per mailbox, the UID up to which this node's sessions claimed \Recent. */
  readonly #claimed = new Map<string, number>();

  constructor(mail: MailStore) {
    this.mail = mail;
  }

  async #own(accountId: string, mailboxId: string): Promise<MailboxRecord> {
    const box = await this.mail.repo.getMailbox(mailboxId);
    if (!box || box.accountId !== accountId) throw new BackendError('NONEXISTENT', bilingual('protocol.mailbox.mailbox_deleted'));
    return box;
  }

  async listMailboxes(accountId: string): Promise<MailboxInfo[]> {
    const boxes = (await this.mail.mailboxes(accountId)).map((b) => ({ name: b.name, specialUse: b.specialUse ?? undefined, subscribed: b.subscribed }));
    const orphans = (await this.mail.orphanSubscriptions(accountId)).map((name) => ({ name, subscribed: true, nonexistent: true as const }));
    return [...boxes, ...orphans];
  }

  async createMailbox(accountId: string, name: string): Promise<void> {
    await mapped(this.mail.createMailbox(accountId, name, false));
  }

  deleteMailbox(accountId: string, name: string): Promise<void> {
    return mapped(this.mail.deleteMailbox(accountId, name));
  }

  renameMailbox(accountId: string, from: string, to: string): Promise<void> {
    return mapped(this.mail.renameMailbox(accountId, from, to));
  }

  setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void> {
    return mapped(this.mail.subscribe(accountId, name, subscribed));
  }

  async openMailbox(accountId: string, name: string, readWrite: boolean, onChange: (change: MailboxChange) => void): Promise<OpenMailbox> {
    const box = await mapped(this.mail.mailbox(accountId, name));
    const unsubscribe = this.mail.bus.subscribe(mailboxTopic(box.id), (payload) => {
      if (isResync(payload)) {
        this.mail.meta(box.id).then(
          (messages) => onChange({ type: 'sync', messages }),
          // Still missed: the session's next SELECT reads the mailbox anew.
          () => {},
        );
        return;
      }
      const event = payload as MailEvent;
      if (event.type === 'exists') {
        const messages = event.messages.map((m) => ({ uid: m.uid, flags: m.flags, modseq: event.modseq, internalDate: new Date(m.internalDate), size: m.size }));
        onChange({ type: 'exists', messages, recent: readWrite && this.#claimRecent(box.id, event.uids[event.uids.length - 1] + 1) });
      } else if (event.type === 'expunge') {
        onChange({ type: 'expunge', uids: event.uids });
      } else {
        for (const c of event.changes) onChange({ type: 'flags', uid: c.uid, flags: c.flags, modseq: c.modseq });
      }
    });
    try {
      const messages = await this.mail.meta(box.id);
      const highestModseq = messages.reduce((max, m) => Math.max(max, m.modseq), box.highestModseq);
      const uidNext = Math.max(box.uidNext, (messages.at(-1)?.uid ?? 0) + 1);
      let firstRecentUid = box.recentUid;
      if (readWrite) {
        // Nothing new since the last claim: no write.
        if (box.recentUid < uidNext) firstRecentUid = await this.mail.claimRecent(box.id, uidNext);
        this.#claimed.set(box.id, Math.max(this.#claimed.get(box.id) ?? 0, uidNext));
      }
      return { snapshot: { id: box.id, name: box.name, uidValidity: box.uidValidity, uidNext, highestModseq, messages, firstRecentUid }, close: unsubscribe };
    } catch (err) {
      unsubscribe();
      throw err;
    }
  }

  /**
   * New messages are \Recent in the first read-write selection of this node that hears of them.
   * Sessions on other nodes may see them as recent too: the flag is only a hint (IMAP4rev2 drops it).
   */
  #claimRecent(mailboxId: string, upTo: number): boolean {
    if ((this.#claimed.get(mailboxId) ?? 0) >= upTo) return false;
    this.#claimed.set(mailboxId, upTo);
    this.mail.claimRecent(mailboxId, upTo).catch(() => {
      // Only the hint is lost: a later SELECT shows the message as recent once more.
    });
    return true;
  }

  async status(accountId: string, name: string) {
    const box = await mapped(this.mail.mailbox(accountId, name));
    const messages = await this.mail.meta(box.id);
    return {
      messages: messages.length,
      uidNext: box.uidNext,
      uidValidity: box.uidValidity,
      unseen: messages.filter((m) => !m.flags.includes('\\Seen')).length,
      recent: messages.filter((m) => m.uid >= box.recentUid).length,
      highestModseq: box.highestModseq,
    };
  }

  async locate(accountId: string, name: string) {
    const box = await mapped(this.mail.mailbox(accountId, name));
    return { id: box.id, uidValidity: box.uidValidity };
  }

  async readMessage(accountId: string, mailboxId: string, uid: number): Promise<Buffer | null> {
    await this.#own(accountId, mailboxId);
    const [message] = await this.mail.messages(mailboxId, { uids: [[uid, uid]] });
    return message ? this.mail.read(message) : null;
  }

  async loadMessages(accountId: string, mailboxId: string, uids: number[], want: LoadWanted): Promise<Map<number, LoadedMessage>> {
    await this.#own(accountId, mailboxId);
    const rows = uids.length ? await this.mail.contents(mailboxId, toRanges(uids)) : [];
    const [raws, structures] = await Promise.all([want.raw ? Promise.all(rows.map((m) => this.mail.read(m))) : null, want.structure ? this.mail.structures(rows) : null]);
    return new Map(rows.map((m, i) => [m.uid, { raw: raws?.[i] ?? null, structure: structures?.get(m.blobId) ?? null }]));
  }

  async append(accountId: string, mailbox: string, messages: NewImapMessage[]) {
    const box = await mapped(this.mail.mailbox(accountId, mailbox));
    return mapped(this.mail.appendAll(box, messages));
  }

  async storeFlags(accountId: string, mailboxId: string, uids: number[], op: FlagOperation, flags: string[], unchangedSince?: number) {
    await this.#own(accountId, mailboxId);
    const result = await this.mail.setFlags(mailboxId, toRanges(uids), op, flags, unchangedSince);
    return { updated: result.changed, modified: result.failed };
  }

  async #transfer(accountId: string, mailboxId: string, uids: number[], target: string, move: boolean): Promise<CopyResult> {
    const from = await this.#own(accountId, mailboxId);
    const to = await mapped(this.mail.mailbox(accountId, target));
    const result = await mapped(move ? this.mail.move(from, toRanges(uids), to) : this.mail.copy(from, toRanges(uids), to));
    return { uidValidity: result.uidValidity, sourceUids: result.pairs.map((p) => p[0]), destinationUids: result.pairs.map((p) => p[1]) };
  }

  copy(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult> {
    return this.#transfer(accountId, mailboxId, uids, target, false);
  }

  move(accountId: string, mailboxId: string, uids: number[], target: string): Promise<CopyResult> {
    return this.#transfer(accountId, mailboxId, uids, target, true);
  }

  async expunge(accountId: string, mailboxId: string, uids: number[]): Promise<number[]> {
    await this.#own(accountId, mailboxId);
    return this.mail.expunge(mailboxId, toRanges(uids));
  }

  async openMaildrop(accountId: string): Promise<Maildrop> {
    const box = await this.mail.mailbox(accountId, 'INBOX');
    const messages = await this.mail.meta(box.id);
    return { mailboxId: box.id, uidValidity: box.uidValidity, messages: messages.map((m) => ({ uid: m.uid, size: m.size })) };
  }

  /** POP3 deletions at QUIT: flagged \Deleted and expunged, so IMAP sessions hear of them. */
  async deleteMessages(accountId: string, mailboxId: string, uids: number[]): Promise<void> {
    await this.#own(accountId, mailboxId);
    const ranges = toRanges(uids);
    await this.mail.setFlags(mailboxId, ranges, 'add', ['\\Deleted']);
    await this.mail.expunge(mailboxId, ranges);
  }
}
