import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { HelpLine } from '../components/HelpLine.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { navigate } from '../router.ts';
import { useSession, type SessionInfo } from '../session.tsx';

/** `POST /api/login` replies with a status; a second step (2FA) adds its own variant here. */
export type LoginReply = { status: 'ok'; session: SessionInfo };

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
      switch (reply.status) {
        case 'ok':
          accept(reply.session);
          navigate(afterLoginPath(), { replace: true });
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
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center mt="8vh" px="md">
        <Paper withBorder shadow="sm" radius="md" p="xl" w={400}>
          <form onSubmit={(e) => void submit(e)}>
            <Stack>
              <Title order={2} ta="center">
                {t('app.name')}
              </Title>
              <Title order={4} ta="center" fw={500} c="dimmed">
                {t('login.title')}
              </Title>
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
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                required
                maxLength={1024}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t('login.submit')}
              </Button>
              <HelpLine />
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
