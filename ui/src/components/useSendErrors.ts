import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

/** The server lets a code be sent once a minute (C8). */
export const resendSeconds = 60;

/**
 * The error line and the resend countdown of a form that sends codes: a refusal as too soon (another
 * tab, a reload) counts down the seconds the server says are left.
 */
export function useSendErrors() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [wait, setWait] = useState(0);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const fail = (err: unknown) => {
    setError(err instanceof ApiError ? err.message : t('errors.network'));
    if (err instanceof ApiError && err.code === 'resend_too_soon') setWait(Number(err.params.seconds) || resendSeconds);
  };

  return { error, setError, wait, setWait, fail };
}
