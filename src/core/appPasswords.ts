import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { PosternError } from './errors.ts';
import { networkOf, parseNetworks, inNetworks } from './networks.ts';
import type { Clock } from './ports.ts';
import type { RevocationReason, Revocations } from './revocation.ts';

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
  /** After this it is refused (SPEC X11); null: never. */
  expiresAt: Date | null;
  /** CIDR blocks it may be used from; empty: anywhere (SPEC X11). */
  networks: string[];
  /** Networks (IPv4 /24, IPv6 /48) it was used from, first seen first, the newest `maxSeenNetworks`. */
  seenNetworks: string[];
}

/** Optional limits of a new client password. */
export interface AppPasswordLimits {
  expiresInDays?: number | null;
  networks?: string[];
}

/** The expiry choices the UI offers (null: never). */
export const expiryChoices = [30, 90, 365] as const;
const maxSeenNetworks = 20;

export type AppPasswordRefusal = 'scope' | 'expired' | 'network';

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
  /** Replaces the seen networks only if they still are `expected`; false when another login changed them first. */
  swapSeenNetworks(id: string, expected: string[], next: string[]): Promise<boolean>;
  findById(id: string): Promise<AppPasswordRecord | undefined>;
}

const length = 16;
const maxPerAccount = 100;
const maxNameLength = 64;

/** Spaces, dashes and case don't matter: `ABCD efgh-ijkl mnop` is `abcdefghijklmnop`. */
export function normalizeAppPassword(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '').toLowerCase();
  return /^[a-z]{16}$/.test(compact) ? compact : undefined;
}

/** base64url, never starting with `-` (which a command line would take for an option). */
function newId(): string {
  for (;;) {
    const id = randomBytes(9).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
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
  readonly #revocations: Revocations;
  /** Last uses not yet written: one write per password every few seconds, not one per login. */
  readonly #pending = new Map<string, AppPasswordUse>();

  constructor(repo: AppPasswordRepo, clock: Clock, pepper: Buffer, revocations: Revocations) {
    this.repo = repo;
    this.#clock = clock;
    this.#pepper = pepper;
    this.#revocations = revocations;
  }

  lookupHash(normalized: string): string {
    return createHmac('sha256', this.#pepper).update(normalized).digest('hex');
  }

  async create(accountId: string, nameInput: string, scopes: readonly ClientProtocol[] = defaultScopes, limits: AppPasswordLimits = {}): Promise<{ record: AppPasswordRecord; password: string }> {
    const name = nameInput.trim();
    if (!name || name.length > maxNameLength || /[\0-\x1f\x7f]/.test(name)) throw new PosternError('invalid_app_password_name', { max: maxNameLength });
    const unique = [...new Set(scopes)];
    if (unique.length === 0 || unique.some((s) => !clientProtocols.includes(s))) throw new PosternError('invalid_app_password_scopes', { allowed: clientProtocols.join(',') });
    const days = limits.expiresInDays ?? null;
    if (days !== null && !(expiryChoices as readonly number[]).includes(days)) throw new PosternError('invalid_app_password_expiry', { allowed: expiryChoices.join(',') });
    const networks = parseNetworks(limits.networks ?? []);
    const now = this.#clock.now();
    if ((await this.repo.count(accountId)) >= maxPerAccount) throw new PosternError('too_many_app_passwords', { max: maxPerAccount });
    const password = Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join('');
    const record: AppPasswordRecord = {
      id: newId(),
      accountId,
      name,
      scopes: clientProtocols.filter((p) => unique.includes(p)),
      createdAt: now,
      lastUsedAt: null,
      lastUsedProtocol: null,
      lastUsedIp: null,
      expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000),
      networks,
      seenNetworks: [],
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

  /** Deletes one; the mail sessions logged in with it end on every node (SPEC X9). */
  async remove(accountId: string, id: string): Promise<void> {
    this.#pending.delete(id);
    if (!(await this.repo.remove(accountId, id))) throw new PosternError('unknown_app_password');
    await this.#revocations.publish({ accountId, reason: 'app_password_deleted', credentials: { password: false, appPasswordIds: [id] } });
  }

  /** Deletes all of the account's client passwords; logins with them are refused and their live sessions end. How many. */
  async removeAll(accountId: string, reason: RevocationReason): Promise<number> {
    const ids = await this.repo.removeAll(accountId);
    for (const id of ids) this.#pending.delete(id);
    await this.#revocations.publish({ accountId, reason, credentials: { password: false, appPasswordIds: ids } });
    return ids.length;
  }

  /** The record whose password this is, if any; the password may carry spaces and capitals. */
  async find(password: string): Promise<AppPasswordRecord | undefined> {
    const normalized = normalizeAppPassword(password);
    return normalized === undefined ? undefined : this.repo.findByHash(this.lookupHash(normalized));
  }

  /** Why this valid password may not log in here and now, if it may not. */
  refusal(record: AppPasswordRecord, protocol: ClientProtocol, ip: string): AppPasswordRefusal | null {
    if (!record.scopes.includes(protocol)) return 'scope';
    if (record.expiresAt && record.expiresAt <= this.#clock.now()) return 'expired';
    if (!inNetworks(record.networks, ip)) return 'network';
    return null;
  }

  /**
   * Records a login with it (written in batches by `flush`) and whether it came from a network it
   * was never used from before; the first network of a new password is not news. Of two nodes
   * seeing the same new network at once exactly one says so.
   */
  async noteUse(record: AppPasswordRecord, protocol: ClientProtocol, ip: string): Promise<{ newNetwork: boolean }> {
    this.noteRepeatUse(record.id, protocol, ip);
    const network = networkOf(ip);
    let seen = record.seenNetworks;
    for (let attempt = 0; attempt < 3 && !seen.includes(network); attempt++) {
      const next = [...seen, network].slice(-maxSeenNetworks);
      if (await this.repo.swapSeenNetworks(record.id, seen, next)) return { newNetwork: seen.length > 0 };
      const current = await this.repo.findById(record.id);
      if (!current) break;
      seen = current.seenNetworks;
    }
    return { newNetwork: false };
  }

  /** Records another login from a network `noteUse` has seen for this password. */
  noteRepeatUse(id: string, protocol: ClientProtocol, ip: string): void {
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
