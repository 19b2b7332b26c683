import type { Kysely, Selectable } from 'kysely';
import type { AccountRecord, AccountRepo } from '../core/ports.ts';
import { compiledQuery } from './compiledQuery.ts';
import type { Database } from './schema.ts';
import type { AccountsTable } from './accountTables.ts';
import './accountTables.ts';
import './adminTables.ts';

export const toAccountRecord = (r: Selectable<AccountsTable>): AccountRecord => ({
  id: r.id,
  address: r.address,
  domain: r.domain,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  disabled: r.disabled === 1,
  quotaBytes: r.quota_bytes,
  language: r.language,
  createdAt: new Date(r.created_at),
  lastLoginAt: r.last_login_at === null ? null : new Date(r.last_login_at),
  lastLoginIp: r.last_login_ip,
});

const isUniqueViolation = (err: unknown): boolean =>
  /unique|duplicate key/i.test((err as Error).message ?? '');

export function accountRepo(db: Kysely<Database>): AccountRepo {
  // What every delivery and login asks (compiledQuery.ts).
  const byAddress = compiledQuery(db, (address: string) => db.selectFrom('accounts').selectAll().where('address', '=', address));
  const byId = compiledQuery(db, (id: string) => db.selectFrom('accounts').selectAll().where('id', '=', id));
  const byAlias = compiledQuery(db, (address: string) => db.selectFrom('aliases').innerJoin('accounts', 'accounts.id', 'aliases.account_id').selectAll('accounts').where('aliases.address', '=', address));
  const domainNamed = compiledQuery(db, (name: string) => db.selectFrom('domains').select('name').where('name', '=', name));
  const loggedIn = compiledQuery(db, (id: string, ip: string, at: number) => db.updateTable('accounts').set({ last_login_at: at, last_login_ip: ip, updated_at: at }).where('id', '=', id));
  const findByAddress = async (address: string) => {
    const [r] = await byAddress(address.toLowerCase());
    return r && toAccountRecord(r);
  };
  return {
    async addDomain(name, now) {
      try {
        await db.insertInto('domains').values({ name, created_at: now.getTime() }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async listDomains() {
      const rows = await db
        .selectFrom('domains')
        .leftJoin('accounts', 'accounts.domain', 'domains.name')
        .select(['domains.name', 'domains.created_at'])
        .select((eb) => eb.fn.count<number>('accounts.id').as('accounts'))
        .groupBy(['domains.name', 'domains.created_at'])
        .orderBy('domains.name')
        .execute();
      return rows.map((r) => ({ name: r.name, createdAt: new Date(r.created_at), accounts: Number(r.accounts) }));
    },
    async removeDomain(name) {
      const r = await db.deleteFrom('domains').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async domainExists(name) {
      return (await domainNamed(name)).length > 0;
    },
    async countAccounts(domain) {
      const r = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('domain', '=', domain).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insertAccount(a) {
      try {
        await db
          .insertInto('accounts')
          .values({
            id: a.id,
            address: a.address,
            domain: a.domain,
            display_name: a.displayName,
            password_hash: a.passwordHash,
            is_admin: a.isAdmin ? 1 : 0,
            disabled: a.disabled ? 1 : 0,
            quota_bytes: a.quotaBytes,
            language: a.language,
            created_at: a.createdAt.getTime(),
            updated_at: a.createdAt.getTime(),
          })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    findByAddress,
    async findById(id) {
      const [r] = await byId(id);
      return r && toAccountRecord(r);
    },
    async findRecipient(address) {
      const own = await findByAddress(address);
      if (own) return own;
      const [r] = await byAlias(address.toLowerCase());
      return r && toAccountRecord(r);
    },
    async aliasesOf(accountId) {
      return (await db.selectFrom('aliases').select('address').where('account_id', '=', accountId).orderBy('address').execute()).map((r) => r.address);
    },
    async list(domain) {
      let q = db.selectFrom('accounts').selectAll().orderBy('address');
      if (domain) q = q.where('domain', '=', domain);
      return (await q.execute()).map(toAccountRecord);
    },
    async update(id, f, now) {
      await db
        .updateTable('accounts')
        .set({
          ...(f.displayName !== undefined && { display_name: f.displayName }),
          ...(f.passwordHash !== undefined && { password_hash: f.passwordHash }),
          ...(f.isAdmin !== undefined && { is_admin: f.isAdmin ? 1 : 0 }),
          ...(f.disabled !== undefined && { disabled: f.disabled ? 1 : 0 }),
          ...(f.quotaBytes !== undefined && { quota_bytes: f.quotaBytes }),
          ...(f.language !== undefined && { language: f.language }),
          ...(f.lastLoginAt !== undefined && { last_login_at: f.lastLoginAt?.getTime() ?? null }),
          ...(f.lastLoginIp !== undefined && { last_login_ip: f.lastLoginIp }),
          updated_at: now.getTime(),
        })
        .where('id', '=', id)
        .execute();
    },
    async recordLogin(id, ip, at) {
      await loggedIn(id, ip, at.getTime());
    },
    async remove(id) {
      await db.deleteFrom('accounts').where('id', '=', id).execute();
    },
  };
}
