import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { KeyPromptError } from '../webauthn.ts';

/** When each destination (a factor id, an address) may get a code again: browser time in ms. */
export type ResendDeadlines = Record<string, number>;

export const deadlineIn = (seconds: number, now = Date.now()): number => now + seconds * 1000;

/**
 * The error line and the 发送验证码 countdowns of a form that sends codes, one per destination:
 * the server says how many seconds are left (after a send, in a refusal, in a verification's
 * methods) and the button counts exactly those down, so it never looks enabled while the server
 * would refuse it. A "too soon" error counts down with it and goes when the wait is over.
 */
export function useSendErrors(initial: ResendDeadlines = {}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [tooSoonFor, setTooSoonFor] = useState<string | null>(null);
  const [deadlines, setDeadlines] = useState<ResendDeadlines>(initial);
  const [now, setNow] = useState(Date.now());

  const waitFor = (key: string) => Math.max(0, Math.ceil(((deadlines[key] ?? 0) - now) / 1000));
  const counting = Object.values(deadlines).some((d) => d > now);

  useEffect(() => {
    if (!counting) return;
    const timer = setTimeout(() => setNow(Date.now()), 250);
    return () => clearTimeout(timer);
  }, [counting, now]);

  const setWait = (key: string, seconds: number) => {
    const at = Date.now();
    setNow(at);
    setDeadlines((d) => ({ ...d, [key]: deadlineIn(seconds, at) }));
  };

  /** Shows `err`; a refusal as too soon (another tab, a reload) starts the countdown of `key`. */
  const fail = (err: unknown, key?: string) => {
    if (err instanceof ApiError && err.code === 'resend_too_soon' && key) {
      setWait(key, Number(err.params.seconds) || 1);
      setTooSoonFor(key);
      setError(null);
      return;
    }
    setTooSoonFor(null);
    setError(err instanceof ApiError || err instanceof KeyPromptError ? err.message : t('errors.network'));
  };

  const clearError = () => {
    setError(null);
    setTooSoonFor(null);
  };

  const tooSoon = tooSoonFor && waitFor(tooSoonFor) > 0 ? t('errors.resend_too_soon', { seconds: waitFor(tooSoonFor) }) : null;
  return { error: tooSoon ?? error, clearError, waitFor, setWait, fail, deadlines };
}
