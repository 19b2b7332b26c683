import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../../api.ts';
import { settingsChannel, type BindStarted } from '../../../../twoFactor.ts';
import type { BindDialogProps } from '../twoFactorMethods.ts';
import { DialogActions } from './DialogActions.tsx';
import { useSendErrors, type ResendDeadlines } from '../../../../components/useSendErrors.ts';

interface Props extends BindDialogProps {
  kind: 'backupEmail' | 'sms';
}

/** What the dialog sent, kept for this tab so that closing and reopening it (or a reload) loses no code. */
interface Sent {
  changeId: string | null;
  destination: string;
  /** The bind started for each destination typed, newest last. */
  binds: Record<string, BindStarted>;
  deadlines: ResendDeadlines;
  savedAt: number;
}

/** A sent code is valid 5 minutes; after that there is nothing worth restoring. */
const keepMs = 5 * 60_000;

function restore(key: string, changeId: string | null): Sent | null {
  try {
    const sent = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Sent | null;
    return sent && sent.changeId === changeId && Date.now() - sent.savedAt < keepMs ? sent : null;
  } catch {
    return null;
  }
}

/**
 * 备用邮箱 / 短信 binding (B1, B4; D2, D6 after the change verification): enter the address or
 * number → 发送验证码 (then the server's countdown for that destination) → enter the code → 确定.
 * A mistyped destination is corrected by typing another and sending again.
 */
export function SentCodeBindDialog({ kind, changeId, onClose, onBound }: Props) {
  const { t } = useTranslation();
  const field = kind === 'sms' ? 'phone' : 'address';
  const key = `postern.bind.${kind}`;
  const [saved] = useState(() => restore(key, changeId ?? null));
  const [destination, setDestination] = useState(saved?.destination ?? '');
  const [binds, setBinds] = useState<Record<string, BindStarted>>(saved?.binds ?? {});
  const [code, setCode] = useState('');
  const { error, clearError, waitFor, setWait, fail, deadlines } = useSendErrors(saved?.deadlines);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);
  const wanted = destination.trim();
  const started = binds[wanted];
  const wait = waitFor(wanted);

  useEffect(() => {
    if (Object.keys(binds).length) sessionStorage.setItem(key, JSON.stringify({ changeId: changeId ?? null, destination: wanted, binds, deadlines, savedAt: Date.now() } satisfies Sent));
  }, [key, changeId, wanted, binds, deadlines]);

  const send = async () => {
    clearError();
    setSending(true);
    try {
      if (started) {
        const again = await settingsChannel(started.verificationId).start(started.factorId);
        setWait(wanted, again.resendIn ?? 0);
      } else {
        const bind = await api.post<BindStarted>('/api/2fa/bind', { kind, input: { [field]: wanted }, changeId }, { notify: false });
        setBinds((b) => ({ ...b, [wanted]: bind }));
        setWait(wanted, bind.resendIn);
      }
    } catch (err) {
      fail(err, wanted);
    } finally {
      setSending(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!started) return;
    clearError();
    setBusy(true);
    try {
      const reply = await settingsChannel(started.verificationId).check(started.factorId, code.trim());
      if (reply.status === 'verified') {
        sessionStorage.removeItem(key);
        onBound();
      }
    } catch (err) {
      fail(err);
      setCode('');
      // That bind is over (expired, used): the next 发送验证码 starts a new one.
      if (err instanceof ApiError && (err.status === 404 || err.status === 409 || err.status === 410)) {
        setBinds(({ [wanted]: _gone, ...rest }) => rest);
      }
    } finally {
      setBusy(false);
    }
  };

  const sentTo = (started?.challenge as { sentTo?: string } | null | undefined)?.sentTo;
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
              onChange={(e) => setDestination(e.currentTarget.value)}
              data-testid={`${kind}-destination`}
            />
            <Button variant="light" onClick={() => void send()} disabled={wait > 0 || !wanted} loading={sending} data-testid="send-code">
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
