import { Alert, Button, Group, Image, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import type { Factor, VerificationChannel } from '../twoFactor.ts';

const pollMs = 2000;
const resendSeconds = 60;

interface Props {
  methods: Factor[];
  defaultId: string | null;
  channel: VerificationChannel;
  /** Called once the server says verified, with its whole reply. */
  onVerified(reply: unknown): void;
  submitLabel?: string;
  /** Shown above the submit button (the trust-this-device box at login). */
  extra?: ReactNode;
  /** Sent-code methods whose code goes out as soon as they are shown, without "send code". */
  autoSend?(factor: Factor): boolean;
}

/**
 * Answers a verification with any of the allowed methods (C2): a switcher when there are several;
 * "send code" with a one-minute wait for sent codes; the app's code for OTP; a QR and polling
 * for approvals. Errors from the server are shown in the form.
 */
export function VerifyForm({ methods, defaultId, channel, onVerified, submitLabel, extra, autoSend }: Props) {
  const { t } = useTranslation();
  const [factorId, setFactorId] = useState(defaultId ?? methods[0]?.id ?? '');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ factorId: string; display: unknown } | null>(null);
  const [wait, setWait] = useState(0);
  const factor = methods.find((m) => m.id === factorId) ?? methods[0];
  const verifiedRef = useRef(false);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const fail = (err: unknown) => {
    setError(err instanceof ApiError ? err.message : t('errors.network'));
    // Refused as too soon (another tab, or a reload): count down what the server says is left (C8).
    if (err instanceof ApiError && err.code === 'resend_too_soon') setWait(Number(err.params.seconds) || resendSeconds);
  };

  const start = async () => {
    if (!factor) return;
    setError(null);
    setBusy(true);
    try {
      const started = await channel.start(factor.id);
      setSent({ factorId: factor.id, display: started.display });
      if (factor.style === 'code') setWait(resendSeconds);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const autoSentRef = useRef(new Set<string>());
  useEffect(() => {
    if (factor?.style !== 'code' || !autoSend?.(factor) || autoSentRef.current.has(factor.id)) return;
    autoSentRef.current.add(factor.id);
    void start();
  }, [factor?.id]);

  // Approvals start by themselves and the page notices the phone's answer (B3, C4).
  useEffect(() => {
    if (factor?.style !== 'approval') return;
    void start();
    const timer = setInterval(() => {
      if (verifiedRef.current) return;
      channel.check(factor.id, '').then((reply) => {
        if (reply.status !== 'pending' && !verifiedRef.current) {
          verifiedRef.current = true;
          onVerified(reply);
        }
      }, () => {});
    }, pollMs);
    return () => clearInterval(timer);
  }, [factor?.id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!factor) return;
    setError(null);
    setBusy(true);
    try {
      const reply = await channel.check(factor.id, code.trim());
      if (reply.status !== 'pending') {
        verifiedRef.current = true;
        onVerified(reply);
      }
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
    setError(null);
    setWait(0);
  };

  if (!factor) return null;
  const qr = sent?.factorId === factor.id ? (sent.display as { qr?: string } | null)?.qr : undefined;
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
              data={methods.map((m) => ({ value: m.id, label: t(`security.twoFactor.methods.${m.kind}.title`) }))}
            />
          </Stack>
        )}
        <Text size="sm">{t(`verify.hint.${factor.kind}`, { label: factor.label, defaultValue: t(`verify.hint.${factor.style}`) })}</Text>
        {qr && <Image src={qr} w={200} h={200} alt={t('verify.qrAlt')} />}
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
        <TextInput
          label={t('verify.code')}
          placeholder={factor.style === 'app' ? '123456' : undefined}
          autoComplete="one-time-code"
          inputMode={factor.style === 'app' ? 'numeric' : 'text'}
          maxLength={16}
          required={factor.style !== 'approval'}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="verify-code"
          autoFocus
        />
        {error && (
          <Alert color="red" data-testid="verify-error">
            {error}
          </Alert>
        )}
        {extra}
        <Button type="submit" loading={busy} data-testid="verify-submit">
          {submitLabel ?? t('verify.submit')}
        </Button>
      </Stack>
    </form>
  );
}
