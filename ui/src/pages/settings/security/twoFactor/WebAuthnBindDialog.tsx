import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { useFormAction } from '../../../../components/useFormAction.ts';
import { settingsChannel, type BindStarted } from '../../../../twoFactor.ts';
import { createKey } from '../../../../webauthn.ts';
import type { BindDialogProps } from '../twoFactorMethods.ts';
import { DialogActions } from './DialogActions.tsx';

/** 安全密钥/通行密钥 (X1): name the key, then the browser's prompt creates it; several may be bound. */
export function WebAuthnBindDialog({ changeId, onClose, onBound }: BindDialogProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const { busy, error, onSubmit } = useFormAction(async () => {
    const started = await api.post<BindStarted>('/api/2fa/bind', { kind: 'webauthn', input: { name: name.trim() }, changeId }, { notify: false });
    const answer = await createKey(started.challenge);
    const reply = await settingsChannel(started.verificationId).check(started.factorId, answer);
    if (reply.status === 'verified') onBound();
  });

  return (
    <Modal opened onClose={onClose} title={t(changeId ? 'twoFactor.webauthn.changeTitle' : 'twoFactor.webauthn.bindTitle')} centered data-testid="webauthn-dialog">
      <form onSubmit={onSubmit}>
        <Stack>
          <TextInput
            label={t('twoFactor.webauthn.name')}
            placeholder={t('twoFactor.webauthn.namePlaceholder')}
            maxLength={40}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="webauthn-name"
            data-autofocus
          />
          <Text size="sm" c="dimmed">
            {t('twoFactor.webauthn.nameHint')}
          </Text>
          <DialogActions testId="webauthn" error={error} busy={busy} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
