/** The core reads time only through a Clock so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  #ms: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.#ms = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface AccountRecord {
  id: string;
  address: string;
  domain: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  quotaBytes: number;
  language: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  lastLoginIp: string | null;
}

export interface AccountRepo {
  addDomain(name: string, now: Date): Promise<boolean>;
  listDomains(): Promise<{ name: string; createdAt: Date; accounts: number }[]>;
  removeDomain(name: string): Promise<boolean>;
  domainExists(name: string): Promise<boolean>;
  countAccounts(domain: string): Promise<number>;
  insertAccount(account: Omit<AccountRecord, 'lastLoginAt' | 'lastLoginIp'>): Promise<boolean>;
  findByAddress(address: string): Promise<AccountRecord | undefined>;
  findById(id: string): Promise<AccountRecord | undefined>;
  list(domain?: string): Promise<AccountRecord[]>;
  update(id: string, fields: Partial<Pick<AccountRecord, 'displayName' | 'passwordHash' | 'isAdmin' | 'disabled' | 'quotaBytes' | 'language' | 'lastLoginAt' | 'lastLoginIp'>>, now: Date): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Whether an account has two-step verification on (≥ 1 method bound; SPEC B6, D9). Implemented by the 2FA core. */
export interface TwoFactorState {
  isOn(accountId: string): Promise<boolean>;
}
