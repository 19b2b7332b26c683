// What an account says about its own mail beyond the messages: the identities it sends as (JMAP
// Identity, RFC 8621 §6) and its vacation response (RFC 8621 §8). Changes are in the account's
// change log (kinds Identity and VacationResponse) and announced on `settingsTopic`.
import { createHash } from 'node:crypto';
import type { AccountRecord } from '../core/ports.ts';
import type { Bus } from '../state/bus.ts';

export interface EmailAddress {
  name: string | null;
  email: string;
}

export interface IdentityRecord {
  id: string;
  email: string;
  name: string;
  replyTo: EmailAddress[] | null;
  bcc: EmailAddress[] | null;
  textSignature: string;
  htmlSignature: string;
  /** False for the identity of a sending address itself: it exists as long as the address does. */
  mayDelete: boolean;
}

export interface VacationRecord {
  isEnabled: boolean;
  fromDate: Date | null;
  toDate: Date | null;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
}

export interface MailSettingsRepo {
  /** The identities stored for the account (settings of its addresses and identities it created). */
  identities(accountId: string): Promise<IdentityRecord[]>;
  putIdentity(accountId: string, identity: IdentityRecord, created: boolean): Promise<void>;
  removeIdentity(accountId: string, id: string): Promise<void>;
  vacation(accountId: string): Promise<(VacationRecord & { period: number }) | null>;
  putVacation(accountId: string, vacation: VacationRecord): Promise<void>;
  /**
   * Records a reply to `sender` in the vacation `period` unless one was sent in that period after
   * `since`; true when the caller is to send it (one node wins when several try at once).
   */
  claimReply(accountId: string, sender: string, period: number, since: Date, now: Date): Promise<boolean>;
}

export const settingsTopic = (accountId: string) => `mailsettings:${accountId}`;

/** The identity of a sending address itself: its id is derived from the address, so it is stable. */
export const identityIdOf = (address: string) => `I${createHash('sha256').update(address.toLowerCase()).digest('base64url').slice(0, 16)}`;

export const noVacation: VacationRecord = { isEnabled: false, fromDate: null, toDate: null, subject: null, textBody: null, htmlBody: null };

export interface MailSettingsDeps {
  repo: MailSettingsRepo;
  bus: Bus;
  /** The addresses the account may send as (core Accounts.sendingAddresses). */
  sendingAddresses(account: AccountRecord): Promise<string[]>;
}

export class MailSettings {
  readonly repo: MailSettingsRepo;
  readonly #deps: MailSettingsDeps;

  constructor(deps: MailSettingsDeps) {
    this.#deps = deps;
    this.repo = deps.repo;
  }

  /**
   * One identity per sending address (SPEC M6: nothing else can be sent as), with what the user
   * set for it, then the ones the user added for those addresses.
   */
  async identities(account: AccountRecord): Promise<IdentityRecord[]> {
    const own = await this.#deps.sendingAddresses(account);
    const stored = new Map((await this.repo.identities(account.id)).map((i) => [i.id, i]));
    const owned = new Set(own.map((a) => a.toLowerCase()));
    const base = own.map((email): IdentityRecord => stored.get(identityIdOf(email)) ?? { id: identityIdOf(email), email, name: account.displayName, replyTo: null, bcc: null, textSignature: '', htmlSignature: '', mayDelete: false });
    const added = [...stored.values()].filter((i) => i.mayDelete && owned.has(i.email.toLowerCase()));
    return [...base, ...added];
  }

  async saveIdentity(accountId: string, identity: IdentityRecord, created: boolean): Promise<void> {
    await this.repo.putIdentity(accountId, identity, created);
    await this.#announce(accountId);
  }

  async removeIdentity(accountId: string, id: string): Promise<void> {
    await this.repo.removeIdentity(accountId, id);
    await this.#announce(accountId);
  }

  async vacation(accountId: string): Promise<VacationRecord & { period: number }> {
    return (await this.repo.vacation(accountId)) ?? { ...noVacation, period: 0 };
  }

  async setVacation(accountId: string, vacation: VacationRecord): Promise<void> {
    await this.repo.putVacation(accountId, vacation);
    await this.#announce(accountId);
  }

  async #announce(accountId: string): Promise<void> {
    await this.#deps.bus.publish(settingsTopic(accountId), {}).catch(() => {
      // Committed; a client that missed the push sees the new state at its next request.
    });
  }
}
