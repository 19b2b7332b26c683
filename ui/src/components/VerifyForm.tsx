import { Alert, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answer, VerificationChannel } from '../twoFactor.ts';
import { lastMethod, signWithKey } from '../webauthn.ts';
import { deadlineIn, useSendErrors } from './useSendErrors.ts';
import { useApproval, WechatQr } from './WechatQr.tsx';


interface Props {
  methods: Answer[];
  defaultId: string | null;
  channel: VerificationChannel;
  /** Called once the server says verified, with its whole reply. */
  onVerified(reply: unknown): void;
  submitLabel?: string;
  /** Shown above the submit button (the trust-this-device box at login). */
  extra?: ReactNode;
  /** Sent-code methods whose code goes out as soon as they are shown, without "send code". */
  autoSend?(factor: Answer): boolean;
  /** In a dialog: a 取消 beside the submit button. */
  onCancel?(): void;
  /** Sign-in and step-up: offer first the method last used on this device (C2). */
  deviceDefault?: boolean;
}

/**
 * Answers a verification with any of the allowed methods (C2): a switcher when there are several;
 * "send code" with the server's wait for sent codes (kept per method while switching: the code
 * already sent stays enterable); the app's code for OTP; a QR and polling
 * for approvals. Errors from the server are shown in the form.
 */
export function VerifyForm({ methods, defaultId, channel, onVerified, submitLabel, extra, autoSend, onCancel, deviceDefault }: Props) {
  const { t } = useTranslation();
  const [factorId, setFactorId] = useState(() => {
    const last = deviceDefault ? lastMethod.get() : null;
    return (methods.some((m) => m.id === last) ? last : defaultId) ?? methods[0]?.id ?? '';
  });
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ factorId: string; display: unknown } | null>(null);
  const { error, clearError, waitFor, setWait, fail } = useSendErrors(
    Object.fromEntries(methods.filter((m) => (m.resendIn ?? 0) > 0).map((m) => [m.id, deadlineIn(m.resendIn!)])),
  );
  const factor = methods.find((m) => m.id === factorId) ?? methods[0];
  const wait = factor ? waitFor(factor.id) : 0;
  const verifiedRef = useRef(false);
  // Approvals (WeChat) show a QR; 扫码失败？使用验证码 switches to the mini-program's code (C4).
  const [useCode, setUseCode] = useState(false);
  const approval = factor?.style === 'approval';
  // Security keys answer through the browser's prompt: no code to type, no submit button.
  const key = factor?.style === 'key';
  const finish = (reply: unknown) => {
    if (verifiedRef.current) return;
    verifiedRef.current = true;
    if (factor) lastMethod.set(factor.id);
    onVerified(reply);
  };

  const answerWithKey = async () => {
    if (!factor) return;
    clearError();
    setBusy(true);
    try {
      const answer = await signWithKey((await channel.start(factor.id)).display);
      const reply = await channel.check(factor.id, answer);
      if (reply.status !== 'pending') finish(reply);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };


  const start = async () => {
    if (!factor) return;
    clearError();
    setBusy(true);
    try {
      const started = await channel.start(factor.id);
      setSent({ factorId: factor.id, display: started.display });
      if (started.resendIn) setWait(factor.id, started.resendIn);
    } catch (err) {
      fail(err, factor.id);
    } finally {
      setBusy(false);
    }
  };

  const autoSentRef = useRef(new Set<string>());
  useEffect(() => {
    if (factor?.style !== 'code' || !autoSend?.(factor) || autoSentRef.current.has(factor.id)) return;
    autoSentRef.current.add(factor.id);
    // A code went out a moment ago (a reload): it is still the one to enter.
    if (wait > 0) return;
    void start();
  }, [factor?.id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!factor) return;
    clearError();
    setBusy(true);
    try {
      const reply = await channel.check(factor.id, code.trim());
      if (reply.status !== 'pending') finish(reply);
    } catch (err) {
      fail(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const switchTo = (id: string) => {
    setFactorId(id);
    setCode('');
    clearError();
    setUseCode(false);
  };

  const toggleCode = () => {
    setUseCode(!useCode);
    clearError();
  };

  if (!factor) return null;
  const typed = (!approval || useCode) && !key;
  // Several keys are told apart by their names.
  const keys = methods.filter((m) => m.style === 'key').length;
  const labelOf = (m: Answer) => (m.style === 'key' && keys > 1 ? m.label : t(`security.twoFactor.methods.${m.kind}.title`));
  const action = key ? (
    <Button onClick={() => void answerWithKey()} loading={busy} data-testid="use-key">
      {t('verify.useKey')}
    </Button>
  ) : (
    typed && <SubmitButton busy={busy} label={submitLabel ?? t('verify.submit')} />
  );
  const sentTo = sent?.factorId === factor.id ? (sent.display as { sentTo?: string } | null)?.sentTo : undefined;
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        {methods.length > 1 && (
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('verify.switch')}
            </Text>
            <SegmentedControl
              data-testid="method-switch"
              value={factor.id}
              onChange={switchTo}
              data={methods.map((m) => ({ value: m.id, label: labelOf(m) }))}
            />
          </Stack>
        )}
        {approval ? (
          <ApprovalArea key={factor.id} factor={factor} channel={channel} onVerified={finish} useCode={useCode} />
        ) : (
          <Text size="sm">{t(`verify.hint.${factor.kind}`, { label: factor.label, defaultValue: t(`verify.hint.${factor.style}`) })}</Text>
        )}
        {factor.style === 'code' && (
          <Group gap="xs">
            <Button variant="light" onClick={() => void start()} disabled={wait > 0} loading={busy && !code} data-testid="send-code">
              {wait > 0 ? t('verify.resendIn', { seconds: wait }) : sent?.factorId === factor.id ? t('verify.resend') : t('verify.send')}
            </Button>
            {sentTo && (
              <Text size="sm" c="dimmed" data-testid="sent-to">
                {t('verify.sentTo', { to: sentTo })}
              </Text>
            )}
          </Group>
        )}
        {typed && (
          <TextInput
            label={t('verify.code')}
            placeholder={factor.kind === 'recovery' ? 'xxxxx-xxxxx' : factor.style === 'code' ? undefined : '123456'}
            autoComplete="one-time-code"
            inputMode={factor.style === 'code' || factor.kind === 'recovery' ? 'text' : 'numeric'}
            maxLength={16}
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            data-testid="verify-code"
            autoFocus
          />
        )}
        {error && (
          <Alert color="red" data-testid="verify-error">
            {error}
          </Alert>
        )}
        {extra}
        {approval && (
          <Button variant="subtle" onClick={toggleCode} data-testid="wechat-use-code">
            {t(useCode ? 'verify.wechat.useQr' : 'verify.wechat.useCode')}
          </Button>
        )}
        {onCancel ? (
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('twoFactor.cancel')}
            </Button>
            {action}
          </Group>
        ) : (
          action
        )}
      </Stack>
    </form>
  );
}

const SubmitButton = ({ busy, label }: { busy: boolean; label: string }) => (
  <Button type="submit" loading={busy} data-testid="verify-submit">
    {label}
  </Button>
);

/** A WeChat QR that the page watches (C4, D3); with `useCode`, the mini-program hint instead of the QR. */
function ApprovalArea({ factor, channel, onVerified, useCode }: { factor: Answer; channel: VerificationChannel; onVerified(reply: unknown): void; useCode: boolean }) {
  const { t } = useTranslation();
  const approval = useApproval(
    async () => (await channel.start(factor.id)).display,
    () => channel.check(factor.id, ''),
    onVerified,
    factor.id,
  );
  if (useCode) return <Text size="sm">{t('verify.wechat.codeHint')}</Text>;
  return (
    <>
      <Text size="sm">{t(`verify.hint.${factor.kind}`, { defaultValue: t('verify.hint.approval') })}</Text>
      <WechatQr {...approval} />
    </>
  );
}
