export interface DevOutboxTable {
  /** Sorts in the order the messages were stored. */
  id: string;
  channel: 'mail' | 'sms';
  recipient: string;
  sender: string | null;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  created_at: number;
}

declare module './schema.ts' {
  interface Database {
    dev_outbox: DevOutboxTable;
  }
}
