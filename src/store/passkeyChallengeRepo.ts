import type { Kysely } from 'kysely';
import type { PasskeyChallenges } from '../core/passkeySignIn.ts';
import type { Database } from './schema.ts';

export interface PasskeyChallengesTable {
  /** SHA-256 of the challenge the browser signs. */
  challenge_hash: string;
  expires_at: number;
}

declare module './schema.ts' {
  interface Database {
    passkey_challenges: PasskeyChallengesTable;
  }
}

/** Passwordless sign-in challenges in the database: taken once, by whichever node gets the answer. */
export function passkeyChallengeRepo(db: Kysely<Database>): PasskeyChallenges {
  return {
    async issue(challengeHash, expiresAt, now) {
      // Expired ones go as new ones come: no timer needed.
      await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now.getTime()).execute();
      await db.insertInto('passkey_challenges').values({ challenge_hash: challengeHash, expires_at: expiresAt.getTime() }).execute();
    },
    async take(challengeHash, now) {
      const r = await db.deleteFrom('passkey_challenges').where('challenge_hash', '=', challengeHash).where('expires_at', '>', now.getTime()).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
