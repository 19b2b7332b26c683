// The mail sessions (IMAP, POP3, SMTP; JMAP may join) open on this node, each with the credential it logged in
// with, ended when the bus says that credential was revoked on any node (SPEC X9).
import { revokes, type Credential, type CredentialsRevoked, type RevocationReason, type Revocations } from './revocation.ts';
import { t } from '../i18n/index.ts';
import { systemClock, type Clock } from './ports.ts';

interface Live {
  accountId: string;
  credential: Credential;
  /** When it logged in: a revocation made before then (heard late, from the log) is not its. */
  since: number;
  end(text: string): void;
}

export interface LiveSessions {
  /** Registers a logged-in session; `end` closes it with the given text. Returns the function that forgets it. */
  track(accountId: string, credential: Credential, end: (text: string) => void): () => void;
  close(): void;
}

/** ASCII, as every protocol reply (src/protocols/authReplies.ts): what any mail client shows as text. */
export const revokedText = (reason: RevocationReason): string => t('en', `revoked.${reason}`);

/** How far nodes' clocks may disagree: a session that began this soon after a revocation still ends. */
const clockSkewMs = 5000;

export function liveSessions(revocations: Revocations, clock: Clock = systemClock): LiveSessions {
  const byAccount = new Map<string, Set<Live>>();
  const onRevoked = (event: CredentialsRevoked & { at?: number }) => {
    for (const live of byAccount.get(event.accountId) ?? []) {
      if (event.at !== undefined && live.since > event.at + clockSkewMs) continue;
      if (revokes(event, live.accountId, live.credential)) live.end(revokedText(event.reason));
    }
  };
  const unsubscribe = revocations.subscribe(onRevoked);
  return {
    track(accountId, credential, end) {
      const live: Live = { accountId, credential, since: clock.now().getTime(), end };
      const set = byAccount.get(accountId) ?? new Set();
      set.add(live);
      byAccount.set(accountId, set);
      return () => {
        set.delete(live);
        if (set.size === 0 && byAccount.get(accountId) === set) byAccount.delete(accountId);
      };
    },
    close: unsubscribe,
  };
}
