import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { KeyPromptError } from '../webauthn.ts';

/** A dialog form's submit: runs `action`, busy meanwhile, and shows the server's (or the key prompt's) refusal. */
export function useFormAction(action: () => Promise<void>) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof KeyPromptError ? err.message : t('errors.network'));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, onSubmit: (event: FormEvent) => void submit(event) };
}
