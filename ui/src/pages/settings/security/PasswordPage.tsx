import { Button, Checkbox, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { useFormAction } from '../../../components/useFormAction.ts';
import { PasswordField } from '../../../components/PasswordField.tsx';
import { notify } from '../../../notify.ts';
import { useSession, type SessionInfo } from '../../../session.tsx';

/**
 * 修改密码: needs the current password (and, with 2FA on, the step-up dialog); every other session is
 * signed out. "The password may have leaked" ticks "also delete every client password" by default:
 * a thief who knew the password could have made one (SPEC X9).
 */
export function PasswordPage() {
  const { t } = useTranslation();
  const { accept, account } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [leaked, setLeaked] = useState(false);
  const [deleteAppPasswords, setDeleteAppPasswords] = useState(false);
  const mismatch = confirm !== '' && next !== confirm;
  const score = useStrength(next, account?.address ?? '');

  // The api's notification shows the server's reason for a refusal.
  const { busy, onSubmit } = useFormAction(async () => {
    if (mismatch) return;
    const reply = await api.post<{ session: SessionInfo }>('/api/password', { currentPassword: current, newPassword: next, deleteAppPasswords });
    accept(reply.session);
    setCurrent('');
    setNext('');
    setConfirm('');
    notify('success', t('security.password.changed'));
  });

  return (
    <form onSubmit={onSubmit}>
      <Stack maw={420}>
        <Text c="dimmed" size="sm">
          {t('security.password.otherSessionsNote')}
        </Text>
        <PasswordField label={t('security.password.current')} autoComplete="current-password" value={current} onChange={setCurrent} />
        <PasswordField label={t('security.password.new')} autoComplete="new-password" value={next} onChange={setNext} />
        {score !== null && (
          <Stack gap={4} mt={-8} data-testid="password-strength">
            <Progress value={(score + 1) * 20} color={score < 3 ? 'red' : score < 4 ? 'yellow' : 'green'} size="sm" aria-label={t('security.password.strengthLabel')} />
            <Text size="xs" c={score < 3 ? 'red' : 'dimmed'}>
              {t(`security.password.strength.${score}`)}
            </Text>
          </Stack>
        )}
        <Text size="xs" c="dimmed" mt={-8}>
          {t('security.password.rule')}
        </Text>
        <PasswordField
          label={t('security.password.confirm')}
          autoComplete="new-password"
          value={confirm}
          error={mismatch ? t('security.password.mismatch') : undefined}
          onChange={setConfirm}
        />
        <Checkbox
          label={t('security.password.leaked')}
          checked={leaked}
          data-testid="password-leaked"
          onChange={(e) => {
            setLeaked(e.currentTarget.checked);
            setDeleteAppPasswords(e.currentTarget.checked);
          }}
        />
        <Checkbox
          label={t('security.password.deleteAppPasswords')}
          description={t('security.password.deleteAppPasswordsNote')}
          checked={deleteAppPasswords}
          data-testid="password-delete-app-passwords"
          onChange={(e) => setDeleteAppPasswords(e.currentTarget.checked)}
        />
        <Button type="submit" loading={busy} disabled={mismatch}>
          {t('security.password.submit')}
        </Button>
      </Stack>
    </form>
  );
}

/** The strength meter (ASVS 2.1.8): the server's own rule, loaded only on this page. */
function useStrength(password: string, address: string): number | null {
  const [score, setScore] = useState<number | null>(null);
  useEffect(() => {
    if (!password) return setScore(null);
    let live = true;
    void import('../../../../../src/core/passwordStrength.ts').then((m) => live && setScore(m.passwordScore(password, address)));
    return () => {
      live = false;
    };
  }, [password, address]);
  return score;
}
