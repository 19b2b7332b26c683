import { Alert, Anchor, Button, Center, Checkbox, Group, Loader, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { VerifyForm } from '../../components/VerifyForm.tsx';
import { linkTo, navigate } from '../../router.ts';
import { useSession, type SessionInfo } from '../../session.tsx';
import type { Answer, VerificationChannel } from '../../twoFactor.ts';
import { afterLoginPath } from './LoginPage.tsx';

interface Pending {
  /** The account signing in. */
  address: string;
  methods: Answer[];
  default: string | null;
}

/** Login step 2 (C1, C2, C7): who is signing in (切换账号), the default method first, a switcher, and 同设备登录免二次验证. */
export function LoginVerifyPage() {
  const { t } = useTranslation();
  const { accept } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [trust, setTrust] = useState(false);
  const trustRef = useRef(trust);
  trustRef.current = trust;
  const channel = useMemo<VerificationChannel>(
    () => ({
      start: (factorId) => api.post('/api/login/second-factor/start', { factorId }, { notify: false }),
      check: (factorId, code) => api.post('/api/login/second-factor', { factorId, code, trust: trustRef.current }, { notify: false }),
    }),
    [],
  );

  useEffect(() => {
    api.get<Pending>('/api/login/second-factor', { notify: false }).then(setPending, (err) => setGone(err instanceof ApiError ? err.message : t('errors.network')));
  }, [t]);

  const done = (reply: unknown) => {
    accept((reply as { session: SessionInfo }).session);
    navigate(afterLoginPath(), { replace: true });
  };

  return (
    <AuthCard title={t('verify.loginTitle')} width={440} top="6vh">
      {gone ? (
        <>
          <Alert color="red" data-testid="verify-error">
            {gone}
          </Alert>
          <Button onClick={() => navigate('/login', { replace: true })}>{t('verify.backToLogin')}</Button>
        </>
      ) : pending ? (
        <>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" fw={600} data-testid="signing-in-as" style={{ wordBreak: 'break-all' }}>
              {t('verify.signingInAs', { address: pending.address })}
            </Text>
            <Anchor size="sm" {...linkTo('/login')} data-testid="switch-account" style={{ flexShrink: 0 }}>
              {t('verify.switchAccount')}
            </Anchor>
          </Group>
          <Text size="sm" c="dimmed">
            {t('verify.loginIntro')}
          </Text>
          <VerifyForm
            methods={pending.methods}
            defaultId={pending.default}
            channel={channel}
            onVerified={done}
            submitLabel={t('verify.loginSubmit')}
            // C5: the SMS code is sent to the bound phone by itself.
            autoSend={(factor) => factor.kind === 'sms'}
            deviceDefault
            extra={<Checkbox label={t('verify.trust')} checked={trust} onChange={(e) => setTrust(e.currentTarget.checked)} data-testid="trust-device" />}
          />
        </>
      ) : (
        <Center>
          <Loader />
        </Center>
      )}
    </AuthCard>
  );
}
