// Periodic jobs that must not run on every node at once (the hourly blob sweep): a node runs one
// only while it holds the job's lease, a row it took because the previous lease had run out.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

interface JobLeasesTable {
  name: string;
  holder: string;
  until: number;
}

declare module './schema.ts' {
  interface Database {
    job_leases: JobLeasesTable;
  }
}

export type JobLeases = ReturnType<typeof jobLeases>;

export function jobLeases(db: Kysely<Database>, holder = randomBytes(9).toString('base64url')) {
  return {
    /** Takes (or extends) the lease of `name` for `ms` unless another node holds one that has not run out. */
    async take(name: string, ms: number, now = Date.now()): Promise<boolean> {
      const taken = await db
        .insertInto('job_leases')
        .values({ name, holder, until: now + ms })
        .onConflict((oc) => oc.column('name').doUpdateSet({ holder, until: now + ms }).where((eb) => eb.or([eb('job_leases.until', '<', now), eb('job_leases.holder', '=', holder)])))
        .returning('name')
        .executeTakeFirst();
      return !!taken;
    },
  };
}
