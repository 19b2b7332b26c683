import { Alert, Button, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { PasswordField } from '../../components/PasswordField.tsx';
import { dismissAll } from '../../notify.ts';
import { navigate } from '../../router.ts';
import { enrolmentPath } from '../../routes.tsx';
import { useSession, type SessionInfo } from '../../session.tsx';

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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<LoginReply>('/api/login', { address: address.trim(), password }, { notify: false });
      // "您已退出登录" and the like belong to the session that ended, not to step 2 or the next one.
      dismissAll();
      switch (reply.status) {
        case 'ok':
          accept(reply.session);
          navigate(afterLoginPath(), { replace: true });
          break;
        case 'enrolment_required':
          accept(reply.session);
          navigate(enrolmentPath, { replace: true });
          break;
        case 'second_factor':
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
        autoComplete="username"
        required
        maxLength={254}
        value={address}
        onChange={(e) => setAddress(e.currentTarget.value)}
      />
      <PasswordField label={t('login.password')} autoComplete="current-password" value={password} onChange={setPassword} />
      <Button type="submit" loading={busy} fullWidth>
        {t('login.submit')}
      </Button>
    </AuthCard>
  );
}
