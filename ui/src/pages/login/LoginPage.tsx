import { Alert, Button, TextInput } from '@mantine/core';
import { browserSupportsWebAuthnAutofill } from '@simplewebauthn/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { dismissAll } from '../../notify.ts';
import { navigate } from '../../router.ts';
import { enrolmentPath } from '../../routes.tsx';
import { useSession, type SessionInfo } from '../../session.tsx';
import { cancelKeyPrompt, KeyPromptError, signWithKey } from '../../webauthn.ts';

/** `POST /api/login` replies with a status; a second step (2FA) adds its own variant here. */
export type LoginReply = { status: 'ok' | 'enrolment_required'; session: SessionInfo } | { status: 'second_factor' };

/** Where to go after signing in: the page that sent the user here, if it is one of ours. */
export function afterLoginPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { accept } = useSession();
  const [address, setAddress] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signedIn = (session: SessionInfo) => {
    // "您已退出登录" and the like belong to the session that ended, not to step 2 or the next one.
    dismissAll();
    accept(session);
    navigate(afterLoginPath(), { replace: true });
  };

  /** 使用通行密钥登录 (X1): a passkey with user verification is both factors; `autofill` offers it in the address field. */
  const withPasskey = async (autofill: boolean) => {
    if (!autofill) setError(null);
    try {
      const { options } = await api.post<{ options: unknown }>('/api/login/passkey/options', undefined, { notify: false });
      const answer = await signWithKey({ options }, autofill);
      setBusy(true);
      signedIn((await api.post<{ session: SessionInfo }>('/api/login/passkey', { response: answer }, { notify: false })).session);
    } catch (err) {
      // An autofill offer that was never taken (or gave way to the button) is no error.
      if (!autofill || err instanceof ApiError) setError(err instanceof ApiError || err instanceof KeyPromptError ? err.message : t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void browserSupportsWebAuthnAutofill().then((yes) => {
      if (yes) void withPasskey(true);
    });
    return cancelKeyPrompt;
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<LoginReply>('/api/login', { address: address.trim(), password }, { notify: false });
      switch (reply.status) {
        case 'ok':
          signedIn(reply.session);
          break;
        case 'enrolment_required':
          accept(reply.session);
          navigate(enrolmentPath, { replace: true });
          break;
        case 'second_factor':
          dismissAll();
          navigate(`/login/verify${location.search}`);
          break;
      }
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('errors.network'));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('login.title')} width={400} top="8vh" onSubmit={(e) => void submit(e)}>
      {error && (
        <Alert color="red" title={t('login.failedTitle')} data-testid="login-error">
          {error}
        </Alert>
      )}
      <TextInput
        label={t('login.address')}
        placeholder={t('login.addressPlaceholder')}
        // "webauthn": the browser may offer this site's passkeys right in the field (conditional UI).
        autoComplete="username webauthn"
        required
        maxLength={254}
        value={address}
        onChange={(e) => setAddress(e.currentTarget.value)}
      />
      <PasswordField label={t('login.password')} autoComplete="current-password" value={password} onChange={setPassword} />
      <Button type="submit" loading={busy} fullWidth>
        {t('login.submit')}
      </Button>
      <Button variant="default" fullWidth onClick={() => void withPasskey(false)} data-testid="passkey-login">
        {t('login.passkey')}
      </Button>
    </AuthCard>
  );
}
