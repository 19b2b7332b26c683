export interface IdentitiesTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  reply_to: string | null;
  bcc: string | null;
  text_signature: string;
  html_signature: string;
  may_delete: number;
}

export interface VacationResponsesTable {
  account_id: string;
  is_enabled: number;
  from_date: number | null;
  to_date: number | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  period: number;
}

export interface VacationRepliesTable {
  account_id: string;
  /** The address answered, lower-case. */
  sender: string;
  period: number;
  sent_at: number;
}

declare module './schema.ts' {
  interface Database {
    identities: IdentitiesTable;
    vacation_responses: VacationResponsesTable;
    vacation_replies: VacationRepliesTable;
  }
}
