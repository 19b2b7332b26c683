import { Button, Code, CopyButton, Group, Image, Loader, Center, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { useFormAction } from '../../../../components/useFormAction.ts';
import { settingsChannel, type BindStarted } from '../../../../twoFactor.ts';
import type { BindDialogProps } from '../twoFactorMethods.ts';
import { DialogActions } from './DialogActions.tsx';

interface TotpDisplay {
  qr: string;
  secret: string;
  uri: string;
}

/** 第三方 OTP binding (B5, D8): scan the QR or type the key, then enter the app's current code. */
export function TotpBindDialog({ changeId, onClose, onBound }: BindDialogProps) {
  const { t } = useTranslation();
  const [started, setStarted] = useState<BindStarted | null>(null);
  const [code, setCode] = useState('');

  useEffect(() => {
    api.post<BindStarted>('/api/2fa/bind', { kind: 'totp', changeId }).then(setStarted, onClose);
  }, [changeId, onClose]);

  const { busy, error, onSubmit } = useFormAction(async () => {
    if (!started) return;
    const reply = await settingsChannel(started.verificationId)
      .check(started.factorId, code.trim())
      .catch((err: unknown) => {
        setCode('');
        throw err;
      });
    if (reply.status === 'verified') onBound();
  });

  const display = started?.display as TotpDisplay | undefined;
  return (
    <Modal opened onClose={onClose} title={t(changeId ? 'twoFactor.totp.changeTitle' : 'twoFactor.totp.bindTitle')} centered size="md" data-testid="totp-dialog">
      {!display ? (
        <Center h={200}>
          <Loader />
        </Center>
      ) : (
        <form onSubmit={onSubmit}>
          <Stack>
            <Text size="sm">{t('twoFactor.totp.scan')}</Text>
            <Center>
              <Image src={display.qr} w={220} h={220} alt={t('twoFactor.totp.qrAlt')} data-testid="totp-qr" />
            </Center>
            <Text size="sm">{t('twoFactor.totp.keyIntro')}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code fz="sm" data-testid="totp-secret">
                {display.secret}
              </Code>
              <CopyButton value={display.secret.replace(/ /g, '')}>
                {({ copied, copy }) => (
                  <Button size="compact-sm" variant="light" onClick={copy}>
                    {copied ? t('twoFactor.copied') : t('twoFactor.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <TextInput
              label={t('twoFactor.totp.code')}
              placeholder="123456"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-testid="totp-code"
            />
            <DialogActions testId="totp" error={error} busy={busy} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
