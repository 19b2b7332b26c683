import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setStepUpHandler } from '../api.ts';
import { settingsChannel, type VerificationView } from '../twoFactor.ts';
import { PasswordField } from './PasswordField.tsx';
import { useFormAction } from './useFormAction.ts';
import { VerifyForm } from './VerifyForm.tsx';

type Challenge = { method: 'password' } | { method: 'verification'; verification: VerificationView };

/**
 * Step-up (SPEC X9), asked inline for the action that needs it: api.ts calls this when an action
 * answers `step_up_required`, the user verifies with the same form as everywhere (or the main
 * password with 2FA off), and the action is sent again. Closing the dialog cancels the action.
 */
export function StepUpHost() {
  const [pending, setPending] = useState<{ challenge: Challenge; resolve(ok: boolean): void } | null>(null);

  useEffect(() => {
    // Actions that ask at the same time share one dialog.
    let asking: Promise<boolean> | null = null;
    setStepUpHandler(() => {
      asking ??= api
        .post<Challenge>('/api/step-up')
        .then((challenge) => new Promise<boolean>((resolve) => setPending({ challenge, resolve })))
        .finally(() => (asking = null));
      return asking;
    });
    return () => setStepUpHandler(null);
  }, []);

  if (!pending) return null;
  const done = (ok: boolean) => {
    pending.resolve(ok);
    setPending(null);
  };
  return <StepUpDialog challenge={pending.challenge} onDone={done} />;
}

function StepUpDialog({ challenge, onDone }: { challenge: Challenge; onDone(ok: boolean): void }) {
  const { t } = useTranslation();
  const verificationId = challenge.method === 'verification' ? challenge.verification.id : '';
  const channel = useMemo(() => settingsChannel(verificationId), [verificationId]);
  return (
    <Modal opened onClose={() => onDone(false)} title={t('stepUp.title')} centered data-testid="step-up-dialog">
      <Text size="sm" mb="md" data-testid="step-up-intro">
        {t('stepUp.intro')}
      </Text>
      {challenge.method === 'verification' ? (
        <VerifyForm
          methods={challenge.verification.methods}
          defaultId={challenge.verification.default}
          channel={channel}
          onVerified={() => onDone(true)}
          submitLabel={t('stepUp.submit')}
          onCancel={() => onDone(false)}
          deviceDefault
        />
      ) : (
        <PasswordStepUp onVerified={() => onDone(true)} onCancel={() => onDone(false)} />
      )}
    </Modal>
  );
}

/** With 2FA off the main password is the step-up. */
function PasswordStepUp({ onVerified, onCancel }: { onVerified(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useFormAction(async () => {
    await api.post('/api/step-up/password', { password }, { notify: false });
    onVerified();
  });
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <PasswordField label={t('stepUp.password')} autoComplete="current-password" value={password} onChange={setPassword} error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('twoFactor.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="step-up-submit">
            {t('stepUp.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
