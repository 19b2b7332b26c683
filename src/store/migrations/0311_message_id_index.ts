import type { Kysely } from 'kysely';

/** Messages found by Message-ID within a mailbox: the client's copy of a message filed in Sent, threads. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_mailbox_message_id').on('messages').columns(['mailbox_id', 'message_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_mailbox_message_id').execute();
}
