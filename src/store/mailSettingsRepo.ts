// Identities and vacation responses (src/mail/mailSettings.ts), each change in the account's change log.
import type { Kysely } from 'kysely';
import type { EmailAddress, IdentityRecord, MailSettingsRepo } from '../mail/mailSettings.ts';
import { compiledQuery } from './compiledQuery.ts';
import { ChangeSet } from './mailChanges.ts';
import type { Database } from './schema.ts';
import './mailSettingsTables.ts';

const json = (v: EmailAddress[] | null) => (v === null ? null : JSON.stringify(v));
const addresses = (v: string | null): EmailAddress[] | null => (v === null ? null : JSON.parse(v));
const date = (v: number | null) => (v === null ? null : new Date(Number(v)));

export function mailSettingsRepo(db: Kysely<Database>): MailSettingsRepo {
  // Asked at every delivery to an INBOX (compiledQuery.ts).
  const vacationOf = compiledQuery(db, (accountId: string) => db.selectFrom('vacation_responses').selectAll().where('account_id', '=', accountId));
  return {
    async identities(accountId) {
      const rows = await db.selectFrom('identities').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
      return rows.map((r): IdentityRecord => ({
        id: r.id,
        email: r.email,
        name: r.name,
        replyTo: addresses(r.reply_to),
        bcc: addresses(r.bcc),
        textSignature: r.text_signature,
        htmlSignature: r.html_signature,
        mayDelete: r.may_delete === 1,
      }));
    },
    async putIdentity(accountId, i, created) {
      const values = { email: i.email, name: i.name, reply_to: json(i.replyTo), bcc: json(i.bcc), text_signature: i.textSignature, html_signature: i.htmlSignature, may_delete: i.mayDelete ? 1 : 0 };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('identities')
          .values({ id: i.id, account_id: accountId, ...values })
          .onConflict((oc) => oc.columns(['account_id', 'id']).doUpdateSet(values))
          .execute();
        await new ChangeSet().add('Identity', i.id, created ? 'c' : 'u').write(trx, accountId);
      });
    },
    async removeIdentity(accountId, id) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('identities').where('account_id', '=', accountId).where('id', '=', id).execute();
        await new ChangeSet().add('Identity', id, 'd').write(trx, accountId);
      });
    },
    async vacation(accountId) {
      const [r] = await vacationOf(accountId);
      if (!r) return null;
      return { isEnabled: r.is_enabled === 1, fromDate: date(r.from_date), toDate: date(r.to_date), subject: r.subject, textBody: r.text_body, htmlBody: r.html_body, period: Number(r.period) };
    },
    async putVacation(accountId, v) {
      const values = { is_enabled: v.isEnabled ? 1 : 0, from_date: v.fromDate?.getTime() ?? null, to_date: v.toDate?.getTime() ?? null, subject: v.subject, text_body: v.textBody, html_body: v.htmlBody };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('vacation_responses')
          .values({ account_id: accountId, ...values, period: 1 })
          .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ ...values, period: eb('vacation_responses.period', '+', 1) })))
          .execute();
        await new ChangeSet().add('VacationResponse', 'singleton', 'u').write(trx, accountId);
      });
    },
    async claimReply(accountId, sender, period, since, now) {
      const row = await db
        .insertInto('vacation_replies')
        .values({ account_id: accountId, sender, period, sent_at: now.getTime() })
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'sender'])
            .doUpdateSet({ period, sent_at: now.getTime() })
            .where((eb) => eb.or([eb('vacation_replies.period', '<>', period), eb('vacation_replies.sent_at', '<', since.getTime())])),
        )
        .returning('sent_at')
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
