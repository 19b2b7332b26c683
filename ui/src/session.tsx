import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import i18n from './i18n.ts';

export interface LastLogin {
  at: number;
  ip: string;
  place: string;
}

export interface Account {
  address: string;
  displayName: string;
  twoFactorOn: boolean;
  /** The sign-in before this one, or null on the first. */
  lastLogin: LastLogin | null;
  isAdmin: boolean;
  /** The help-desk contacts of the account's domain, if set (else the server's). */
  help: { phone: string; email: string } | null;
  /** The domain requires 2FA and none is bound (SPEC X5): days of grace left, or `enforced` (bind one first). */
  twoFactorRequired: { state: 'grace'; daysLeft: number; endsAt: number } | { state: 'enforced' } | null;
}

/** The reply of `GET /api/session` (and of a finished `POST /api/login`). */
export interface SessionInfo {
  csrfToken: string;
  account: Account | null;
}

interface SessionState {
  /** null while the first `GET /api/session` is on its way (or after it failed). */
  session: SessionInfo | null;
  /** The server could not be reached for the session. */
  unreachable: boolean;
  account: Account | null;
  refresh(): Promise<void>;
  /** Takes a session reply the server sent (after login, logout or a password change). */
  accept(info: SessionInfo): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  const accept = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrfToken);
    // What signed-in pages kept for this tab (codes being bound) is not for the next account.
    if (!info.account) sessionStorage.clear();
    setSession(info);
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<SessionInfo>('/api/session', { notify: false }));
      setUnreachable(false);
    } catch (err) {
      setUnreachable(true);
      throw err;
    }
  }, [accept]);

  useEffect(() => {
    setUnauthenticatedHandler(() => void refresh().catch(() => {}));
    void refresh().catch(() => {});
    // Place names in the session come in the request's language.
    const onLanguage = () => void refresh().catch(() => {});
    i18n.on('languageChanged', onLanguage);
    return () => i18n.off('languageChanged', onLanguage);
  }, [refresh]);

  return <SessionContext value={{ session, unreachable, account: session?.account ?? null, refresh, accept }}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
