import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { PosternError } from './errors.ts';
import type { Clock } from './ports.ts';

export const clientProtocols = ['imap', 'pop3', 'smtp', 'jmap'] as const;
export type ClientProtocol = (typeof clientProtocols)[number];
/** What a new client password may do unless asked otherwise: a desktop or phone mail client's protocols. JMAP is asked for by name. */
export const defaultScopes: readonly ClientProtocol[] = ['imap', 'pop3', 'smtp'];

export interface AppPasswordRecord {
  id: string;
  accountId: string;
  name: string;
  scopes: ClientProtocol[];
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedProtocol: ClientProtocol | null;
  lastUsedIp: string | null;
}

export interface AppPasswordUse {
  id: string;
  at: Date;
  protocol: ClientProtocol;
  ip: string;
}

export interface AppPasswordRepo {
  insert(record: AppPasswordRecord, lookupHash: string): Promise<void>;
  list(accountId: string): Promise<AppPasswordRecord[]>;
  count(accountId: string): Promise<number>;
  findByHash(lookupHash: string): Promise<AppPasswordRecord | undefined>;
  remove(accountId: string, id: string): Promise<boolean>;
  /** Deletes every client password of the account; the ids deleted. */
  removeAll(accountId: string): Promise<string[]>;
  recordUses(uses: AppPasswordUse[]): Promise<void>;
}

const length = 16;
const maxPerAccount = 100;
const maxNameLength = 64;

/** Spaces, dashes and case don't matter: `ABCD efgh-ijkl mnop` is `abcdefghijklmnop`. */
export function normalizeAppPassword(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '').toLowerCase();
  return /^[a-z]{16}$/.test(compact) ? compact : undefined;
}

/** Four groups of four, as the user sees it once. */
const formatAppPassword = (password: string): string => password.match(/.{4}/g)!.join(' ');

/**
 * Client-specific passwords (SPEC E1–E4, X3): random, shown once, stored only as an HMAC under
 * the server's pepper, so that checking one is a hash and an index lookup — no argon2.
 */
export class AppPasswords {
  readonly repo: AppPasswordRepo;
  readonly #clock: Clock;
  readonly #pepper: Buffer;
  /** Last uses not yet written: one write per password every few seconds, not one per login. */
  readonly #pending = new Map<string, AppPasswordUse>();

  constructor(repo: AppPasswordRepo, clock: Clock, pepper: Buffer) {
    this.repo = repo;
    this.#clock = clock;
    this.#pepper = pepper;
  }

  lookupHash(normalized: string): string {
    return createHmac('sha256', this.#pepper).update(normalized).digest('hex');
  }

  async create(accountId: string, nameInput: string, scopes: readonly ClientProtocol[] = defaultScopes): Promise<{ record: AppPasswordRecord; password: string }> {
    const name = nameInput.trim();
    if (!name || name.length > maxNameLength || /[\0-\x1f\x7f]/.test(name)) throw new PosternError('invalid_app_password_name', { max: maxNameLength });
    const unique = [...new Set(scopes)];
    if (unique.length === 0 || unique.some((s) => !clientProtocols.includes(s))) throw new PosternError('invalid_app_password_scopes', { allowed: clientProtocols.join(',') });
    if ((await this.repo.count(accountId)) >= maxPerAccount) throw new PosternError('too_many_app_passwords', { max: maxPerAccount });
    const password = Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join('');
    const record: AppPasswordRecord = {
      id: randomBytes(9).toString('base64url'),
      accountId,
      name,
      scopes: clientProtocols.filter((p) => unique.includes(p)),
      createdAt: this.#clock.now(),
      lastUsedAt: null,
      lastUsedProtocol: null,
      lastUsedIp: null,
    };
    await this.repo.insert(record, this.lookupHash(password));
    return { record, password: formatAppPassword(password) };
  }

  /** The account's client passwords, with uses not yet written already shown. */
  async list(accountId: string): Promise<AppPasswordRecord[]> {
    return (await this.repo.list(accountId)).map((r) => {
      const use = this.#pending.get(r.id);
      return use ? { ...r, lastUsedAt: use.at, lastUsedProtocol: use.protocol, lastUsedIp: use.ip } : r;
    });
  }

  async remove(accountId: string, id: string): Promise<void> {
    this.#pending.delete(id);
    if (!(await this.repo.remove(accountId, id))) throw new PosternError('unknown_app_password');
  }

  /** Deletes all of the account's client passwords; clients using them are refused at once. How many. */
  async removeAll(accountId: string): Promise<number> {
    const ids = await this.repo.removeAll(accountId);
    for (const id of ids) this.#pending.delete(id);
    return ids.length;
  }

  /** The record whose password this is, if any; the password may carry spaces and capitals. */
  async find(password: string): Promise<AppPasswordRecord | undefined> {
    const normalized = normalizeAppPassword(password);
    return normalized === undefined ? undefined : this.repo.findByHash(this.lookupHash(normalized));
  }

  noteUse(id: string, protocol: ClientProtocol, ip: string): void {
    this.#pending.set(id, { id, at: this.#clock.now(), protocol, ip });
  }

  /** Writes the buffered last uses; run every few seconds and at stop. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const uses = [...this.#pending.values()];
    this.#pending.clear();
    await this.repo.recordUses(uses);
  }
}
