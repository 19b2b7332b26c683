import type { PubSub } from './ports.ts';

/** The bus topic of every revocation; IMAP, POP3, SMTP and JMAP sessions on every node listen to it (SPEC X9). */
export const credentialsRevokedTopic = 'credentials.revoked';

/** What a live mail or JMAP session logged in with. */
export type Credential = { kind: 'password' } | { kind: 'app_password'; id: string };

export const revocationReasons = ['app_password_deleted', 'password_changed', 'two_factor_reset', 'account_disabled', 'signed_out_everywhere'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

/**
 * Published when credentials of an account stop being valid. `credentials` is `all` (account
 * disabled, signed out everywhere) or the main password and/or the client-specific passwords named.
 */
export interface CredentialsRevoked {
  accountId: string;
  reason: RevocationReason;
  credentials: 'all' | { password: boolean; appPasswordIds: string[] };
}

/** Whether a session of `accountId` that logged in with `credential` must end on `event`. */
export function revokes(event: CredentialsRevoked, accountId: string, credential: Credential): boolean {
  if (event.accountId !== accountId) return false;
  if (event.credentials === 'all') return true;
  return credential.kind === 'password' ? event.credentials.password : event.credentials.appPasswordIds.includes(credential.id);
}

function parse(payload: unknown): CredentialsRevoked | undefined {
  const e = payload as Partial<CredentialsRevoked> | null;
  if (!e || typeof e.accountId !== 'string' || !(revocationReasons as readonly string[]).includes(e.reason as string)) return undefined;
  const c = e.credentials;
  if (c === 'all') return e as CredentialsRevoked;
  if (c && typeof c === 'object' && typeof c.password === 'boolean' && Array.isArray(c.appPasswordIds) && c.appPasswordIds.every((id) => typeof id === 'string')) return e as CredentialsRevoked;
  return undefined;
}

/** Tells every node that credentials were revoked, and lets a node's live sessions hear it. */
export class Revocations {
  readonly #bus: PubSub;
  readonly #here = new Set<(event: CredentialsRevoked) => void>();

  constructor(bus: PubSub) {
    this.#bus = bus;
  }

  publish(event: CredentialsRevoked): Promise<void> {
    if (event.credentials !== 'all' && !event.credentials.password && event.credentials.appPasswordIds.length === 0) return Promise.resolve();
    for (const fn of this.#here) fn(event);
    return this.#bus.publish(credentialsRevokedTopic, event);
  }

  /**
   * Hears this node's revocations as they are published, before the bus carries them (over Redis
   * they come back later, or never while it is away). Returns the function that stops listening.
   */
  onPublish(fn: (event: CredentialsRevoked) => void): () => void {
    this.#here.add(fn);
    return () => void this.#here.delete(fn);
  }

  /** Returns the function that stops listening. Malformed payloads are ignored. */
  subscribe(fn: (event: CredentialsRevoked) => void): () => void {
    return this.#bus.subscribe(credentialsRevokedTopic, (payload) => {
      const event = parse(payload);
      if (event) fn(event);
    });
  }
}
