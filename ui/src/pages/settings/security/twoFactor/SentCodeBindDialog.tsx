import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { settingsChannel, type BindStarted } from '../../../../twoFactor.ts';
import type { BindDialogProps } from '../twoFactorMethods.ts';
import { DialogActions } from './DialogActions.tsx';
import { resendSeconds, useSendErrors } from '../../../../components/useSendErrors.ts';


interface Props extends BindDialogProps {
  kind: 'backupEmail' | 'sms';
}

/**
 * 备用邮箱 / 短信 binding (B1, B4; D2, D6 after the change verification): enter the address or
 * number → 发送验证码 (then a one-minute countdown) → enter the code → 确定.
 */
export function SentCodeBindDialog({ kind, changeId, onClose, onBound }: Props) {
  const { t } = useTranslation();
  const field = kind === 'sms' ? 'phone' : 'address';
  const [destination, setDestination] = useState('');
  const [started, setStarted] = useState<{ bind: BindStarted; destination: string } | null>(null);
  const [code, setCode] = useState('');
  const { error, setError, wait, setWait, fail } = useSendErrors();
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);


  const send = async () => {
    const wanted = destination.trim();
    setError(null);
    setSending(true);
    try {
      if (started?.destination === wanted) {
        await settingsChannel(started.bind.verificationId).start(started.bind.factorId);
      } else {
        const bind = await api.post<BindStarted>('/api/2fa/bind', { kind, input: { [field]: wanted }, changeId }, { notify: false });
        setStarted({ bind, destination: wanted });
      }
      setWait(resendSeconds);
    } catch (err) {
      fail(err);
    } finally {
      setSending(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!started) return;
    setError(null);
    setBusy(true);
    try {
      const reply = await settingsChannel(started.bind.verificationId).check(started.bind.factorId, code.trim());
      if (reply.status === 'verified') onBound();
    } catch (err) {
      fail(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const sentTo = (started?.bind.challenge as { sentTo?: string } | null | undefined)?.sentTo;
  return (
    <Modal opened onClose={onClose} title={t(`twoFactor.${kind}.${changeId ? 'changeTitle' : 'bindTitle'}`)} centered size="md" data-testid={`${kind}-dialog`}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text size="sm">{t(`twoFactor.${kind}.intro`)}</Text>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t(`twoFactor.${kind}.destination`)}
              placeholder={t(`twoFactor.${kind}.placeholder`)}
              type={kind === 'sms' ? 'tel' : 'email'}
              autoComplete={kind === 'sms' ? 'tel' : 'email'}
              maxLength={kind === 'sms' ? 32 : 320}
              value={destination}
              // A change verification allows one new destination: once its code is sent, it stays.
              readOnly={!!changeId && !!started}
              onChange={(e) => setDestination(e.currentTarget.value)}
              data-testid={`${kind}-destination`}
            />
            <Button variant="light" onClick={() => void send()} disabled={wait > 0 || !destination.trim()} loading={sending} data-testid="send-code">
              {wait > 0 ? t('verify.resendIn', { seconds: wait }) : started ? t('verify.resend') : t('verify.send')}
            </Button>
          </Group>
          {sentTo && (
            <Text size="sm" c="dimmed" data-testid="sent-to">
              {t('verify.sentTo', { to: sentTo })}
            </Text>
          )}
          <TextInput
            label={t('verify.code')}
            placeholder={kind === 'sms' ? '123456' : '5WLC'}
            inputMode={kind === 'sms' ? 'numeric' : 'text'}
            autoComplete="one-time-code"
            maxLength={kind === 'sms' ? 6 : 4}
            required
            disabled={!started}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            data-testid={`${kind}-code`}
          />
          <DialogActions testId={kind} error={error} busy={busy} disabled={!started} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

export const BackupEmailBindDialog = (props: BindDialogProps) => <SentCodeBindDialog kind="backupEmail" {...props} />;
export const SmsBindDialog = (props: BindDialogProps) => <SentCodeBindDialog kind="sms" {...props} />;
