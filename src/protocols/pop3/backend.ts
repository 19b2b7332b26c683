// The storage port of the POP3 core: the maildrop is the account's INBOX.

export interface Maildrop {
  mailboxId: string;
  uidValidity: number;
  /** In UID order; message numbers are positions (1-based). */
  messages: { uid: number; size: number }[];
}

export interface Pop3Backend {
  openMaildrop(accountId: string): Promise<Maildrop>;
  readMessage(accountId: string, mailboxId: string, uid: number): Promise<Buffer | null>;
  /** Removes messages at QUIT (UPDATE state). */
  deleteMessages(accountId: string, mailboxId: string, uids: number[]): Promise<void>;
}
