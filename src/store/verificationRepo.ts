import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChallengeRecord, Purpose, VerificationRecord, VerificationRepo } from '../core/ports.ts';
import type { Database } from './schema.ts';
import type { ChallengesTable, VerificationsTable } from './twoFactorTables.ts';
import './twoFactorTables.ts';

const date = (v: number | null): Date | null => (v === null ? null : new Date(v));
const changed = (r: { numUpdatedRows: bigint }): boolean => Number(r.numUpdatedRows) > 0;

const toVerification = (r: Selectable<VerificationsTable>): VerificationRecord => ({
  id: r.id,
  accountId: r.account_id,
  purpose: r.purpose as Purpose,
  factorIds: JSON.parse(r.factor_ids) as string[],
  targetId: r.target_id,
  parentId: r.parent_id,
  tokenHash: r.token_hash,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  verifiedAt: date(r.verified_at),
  verifiedFactorId: r.verified_factor_id,
  consumedAt: date(r.consumed_at),
});

const toChallenge = (r: Selectable<ChallengesTable>): ChallengeRecord => ({
  id: r.id,
  verificationId: r.verification_id,
  factorId: r.factor_id,
  state: r.state,
  attempts: r.attempts,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  approvedAt: date(r.approved_at),
  consumedAt: date(r.consumed_at),
});

export function verificationRepo(db: Kysely<Database>): VerificationRepo {
  return {
    async insert(v) {
      await db
        .insertInto('verifications')
        .values({
          id: v.id,
          account_id: v.accountId,
          purpose: v.purpose,
          factor_ids: JSON.stringify(v.factorIds),
          target_id: v.targetId,
          parent_id: v.parentId,
          token_hash: v.tokenHash,
          created_at: v.createdAt.getTime(),
          expires_at: v.expiresAt.getTime(),
          verified_at: null,
          verified_factor_id: null,
          consumed_at: null,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toVerification(r);
    },
    async findByTokenHash(tokenHash) {
      const r = await db.selectFrom('verifications').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && toVerification(r);
    },
    async markVerified(id, factorId, now) {
      return changed(
        await db.updateTable('verifications').set({ verified_at: now.getTime(), verified_factor_id: factorId }).where('id', '=', id).where('verified_at', 'is', null).executeTakeFirst(),
      );
    },
    async consume(id, now) {
      return changed(
        await db
          .updateTable('verifications')
          .set({ consumed_at: now.getTime() })
          .where('id', '=', id)
          .where('verified_at', 'is not', null)
          .where('consumed_at', 'is', null)
          .where('expires_at', '>', now.getTime())
          .executeTakeFirst(),
      );
    },
    async insertChallenge(c) {
      await db
        .insertInto('challenges')
        .values({
          id: c.id,
          verification_id: c.verificationId,
          factor_id: c.factorId,
          state: c.state,
          attempts: c.attempts,
          created_at: c.createdAt.getTime(),
          expires_at: c.expiresAt.getTime(),
          approved_at: null,
          consumed_at: null,
        })
        .execute();
    },
    async getChallenge(id) {
      const r = await db.selectFrom('challenges').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toChallenge(r);
    },
    async latestChallenge(verificationId, factorId) {
      const r = await db
        .selectFrom('challenges')
        .selectAll()
        .where('verification_id', '=', verificationId)
        .where('factor_id', '=', factorId)
        .orderBy('created_at', 'desc')
        // Two challenges of one millisecond: the live one is the latest, not the consumed one.
        .orderBy(sql`consumed_at is null`, 'desc')
        .orderBy('id')
        .executeTakeFirst();
      return r && toChallenge(r);
    },
    async reserveAttempt(challengeId, max) {
      const r = await db
        .updateTable('challenges')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', challengeId)
        .where('attempts', '<', max)
        .where('consumed_at', 'is', null)
        .returning('attempts')
        .executeTakeFirst();
      return r ? r.attempts : null;
    },
    async refundAttempt(challengeId) {
      await db
        .updateTable('challenges')
        .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
        .where('id', '=', challengeId)
        .where('attempts', '>', 0)
        .execute();
    },
    async consumeChallenge(challengeId, now) {
      return changed(await db.updateTable('challenges').set({ consumed_at: now.getTime() }).where('id', '=', challengeId).where('consumed_at', 'is', null).executeTakeFirst());
    },
    async approveChallenge(challengeId, state, now) {
      return changed(
        await db
          .updateTable('challenges')
          .set({ approved_at: now.getTime(), state })
          .where('id', '=', challengeId)
          .where('approved_at', 'is', null)
          .where('consumed_at', 'is', null)
          .where('expires_at', '>', now.getTime())
          .executeTakeFirst(),
      );
    },
    async removeExpired(before) {
      const r = await db.deleteFrom('verifications').where('expires_at', '<', before.getTime()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
