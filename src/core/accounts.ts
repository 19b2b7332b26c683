import { randomBytes } from 'node:crypto';
import { normalizeAddress, normalizeDomain } from './addresses.ts';
import { PosternError } from './errors.ts';
import { checkPasswordPolicy } from './passwordPolicy.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import type { Audit, RequestInfo } from './audit.ts';
import type { AppPasswords } from './appPasswords.ts';
import { noTransactions, type AccountRecord, type AccountRepo, type Atomic, type Clock } from './ports.ts';
import type { Revocations } from './revocation.ts';
import type { SessionRecord, Sessions } from './sessions.ts';
import type { TrustedDevices } from './trustedDevices.ts';

export const defaultQuotaBytes = 2 * 1024 * 1024 * 1024;

export interface NewAccount {
  address: string;
  password: string;
  displayName?: string;
  isAdmin?: boolean;
  quotaBytes?: number;
}

/** What a password change revokes and records. */
export interface AccountSecurity {
  audit: Audit;
  sessions: Sessions;
  trustedDevices: TrustedDevices;
  /** Tells the live mail sessions on every node (SPEC X9). */
  revocations: Revocations;
  appPasswords: AppPasswords;
  /** The new hash and its event (whose notice is a side effect written with it) commit together. */
  atomic?: Atomic;
}

/** What a password change ended: trusted browsers, web sessions and, when asked, client passwords. */
export interface PasswordChanged {
  trustedDevices: number;
  sessions: number;
  /** How many client passwords were deleted; null when they were kept. */
  appPasswords: number | null;
}

/** Domains and accounts: the rules; storage is the AccountRepo port. */
export class Accounts {
  readonly repo: AccountRepo;
  readonly clock: Clock;
  readonly #security: AccountSecurity;

  constructor(repo: AccountRepo, clock: Clock, security: AccountSecurity) {
    this.repo = repo;
    this.clock = clock;
    this.#security = security;
  }

  async addDomain(input: string): Promise<string> {
    const name = normalizeDomain(input);
    if (!(await this.repo.addDomain(name, this.clock.now()))) throw new PosternError('domain_exists', { domain: name });
    return name;
  }

  async removeDomain(input: string): Promise<void> {
    const name = normalizeDomain(input);
    if (!(await this.repo.domainExists(name))) throw new PosternError('unknown_domain', { domain: name });
    const count = await this.repo.countAccounts(name);
    if (count > 0) throw new PosternError('domain_not_empty', { domain: name, count });
    await this.repo.removeDomain(name);
  }

  /** The checks of `create` that need no password: a valid, free address in a served domain. */
  async checkNewAddress(input: string): Promise<{ address: string; local: string; domain: string }> {
    const parts = normalizeAddress(input);
    if (!(await this.repo.domainExists(parts.domain))) throw new PosternError('unknown_domain', { domain: parts.domain });
    if (await this.repo.findByAddress(parts.address)) throw new PosternError('account_exists', { address: parts.address });
    return parts;
  }

  async create(input: NewAccount): Promise<AccountRecord> {
    const { address, local, domain } = await this.checkNewAddress(input.address);
    checkPasswordPolicy(input.password, address);
    const now = this.clock.now();
    const record = {
      id: randomBytes(12).toString('base64url'),
      address,
      domain,
      displayName: input.displayName?.trim() || local,
      passwordHash: await hashPassword(input.password),
      isAdmin: input.isAdmin ?? false,
      disabled: false,
      quotaBytes: input.quotaBytes ?? defaultQuotaBytes,
      language: 'zh-CN',
      createdAt: now,
    };
    if (!(await this.repo.insertAccount(record))) throw new PosternError('account_exists', { address });
    return { ...record, lastLoginAt: null, lastLoginIp: null };
  }

  async get(addressInput: string): Promise<AccountRecord> {
    const { address } = normalizeAddress(addressInput);
    const account = await this.repo.findByAddress(address);
    if (!account) throw new PosternError('unknown_account', { address });
    return account;
  }

  /**
   * Checks a main password. Unknown and disabled accounts cost the same argon2 work as real ones,
   * so timing reveals nothing. Upgrades the stored hash when its parameters are outdated.
   */
  async checkMainPassword(addressInput: string, password: string): Promise<AccountRecord | undefined> {
    let address: string;
    try {
      address = normalizeAddress(addressInput).address;
    } catch {
      await verifyPassword(password, await dummyHash());
      return undefined;
    }
    const account = await this.repo.findByAddress(address);
    const check = await verifyPassword(password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !check.ok || account.disabled) return undefined;
    if (check.needsRehash) await this.repo.update(account.id, { passwordHash: await hashPassword(password) }, this.clock.now());
    return account;
  }

  /**
   * The one main-password change, by the owner (web) or an operator (CLI): the new hash, the
   * `password_changed` event (whose notice, SPEC X4, the audit listener sends), every trusted
   * browser revoked, every web session signed out except `keep` (the owner's own browser), the mail
   * sessions logged in with the old password ended on every node, and, when asked (the password may
   * have leaked), every client password deleted with their sessions.
   */
  async changePassword(account: AccountRecord, password: string, request: RequestInfo, keep?: SessionRecord, options: { deleteAppPasswords?: boolean } = {}): Promise<PasswordChanged> {
    checkPasswordPolicy(password, account.address);
    const passwordHash = await hashPassword(password);
    const { audit, sessions, trustedDevices, revocations, appPasswords, atomic = noTransactions } = this.#security;
    const deleted = await atomic.run(async () => {
      await this.repo.update(account.id, { passwordHash }, this.clock.now());
      const removed = options.deleteAppPasswords ? await appPasswords.removeAll(account.id, 'password_changed') : null;
      await audit.record(account.id, 'password_changed', request, removed === null ? {} : { appPasswordsDeleted: removed });
      return removed;
    });
    await revocations.publish({ accountId: account.id, reason: 'password_changed', credentials: { password: true, appPasswordIds: [] } });
    return {
      trustedDevices: await trustedDevices.removeAll(account.id, request, 'password_changed'),
      sessions: keep ? await sessions.signOutOthers(keep) : await sessions.signOutAll(account.id),
      appPasswords: deleted,
    };
  }

  async setDisabled(account: AccountRecord, disabled: boolean): Promise<void> {
    await this.repo.update(account.id, { disabled }, this.clock.now());
    if (disabled) await this.#security.revocations.publish({ accountId: account.id, reason: 'account_disabled', credentials: 'all' });
  }

  /** The addresses the account may send as (SPEC M6, X5): its own address and its aliases. */
  async sendingAddresses(account: AccountRecord): Promise<string[]> {
    return [account.address, ...(await this.repo.aliasesOf(account.id))];
  }

  async recordLogin(account: AccountRecord, ip: string): Promise<void> {
    await this.repo.recordLogin(account.id, ip, this.clock.now());
  }
}
