import { Alert, Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { linkTo } from '../../../router.ts';
import { useSession } from '../../../session.tsx';
import type { Overview } from '../../../twoFactor.ts';
import { MethodCard } from './twoFactor/MethodCard.tsx';
import { RecoveryCodesCard } from './twoFactor/RecoveryCodesCard.tsx';
import { twoFactorMethods } from './twoFactorMethods.ts';

/** 二次验证设置 (A4, A5): every method with its state and controls, and the client-password notice. */
export function TwoFactorPage() {
  const { t } = useTranslation();
  const [overview, setOverview] = useState<Overview | null>(null);
  const { account, refresh } = useSession();
  const held = account?.twoFactorRequired != null;

  const load = useCallback(async () => {
    const loaded = await api.get<Overview>('/api/2fa');
    setOverview(loaded);
    // The first method ends the domain's hold: the session says so again.
    if (loaded.on && held) await refresh();
  }, [held, refresh]);

  useEffect(() => {
    void load().catch(() => {});
  }, [load]);

  const boundCount = overview?.methods.filter((m) => m.factor).length ?? 0;
  return (
    <Stack>
      <Text>{t('security.twoFactor.intro')}</Text>
      {overview && (
        <Group gap="xs">
          <Text fw={600}>{t('twoFactor.status')}</Text>
          <Badge color={overview.on ? 'green' : 'gray'} size="lg" data-testid="two-factor-status">
            {overview.on ? t('twoFactor.on') : t('twoFactor.off')}
          </Badge>
        </Group>
      )}
      <Alert color="yellow" data-testid="client-notice">
        {t('security.twoFactor.clientNotice')}
      </Alert>
      {overview &&
        twoFactorMethods.map((card) => (
          <MethodCard
            key={card.id}
            card={card}
            state={overview.methods.find((m) => m.kind === card.id)}
            last={boundCount === 1}
            twoFactorOn={overview.on}
            onChanged={() => void load().catch(() => {})}
          />
        ))}
      {overview?.on && <RecoveryCodesCard recovery={overview.recovery} onChanged={() => void load().catch(() => {})} />}
      <Group gap="xs">
        <Text size="sm">{t('security.twoFactor.related')}</Text>
        <Anchor size="sm" {...linkTo('/settings/security/app-passwords')}>
          {t('security.appPasswords.title')}
        </Anchor>
        <Anchor size="sm" {...linkTo('/settings/security/devices')}>
          {t('security.devices.title')}
        </Anchor>
      </Group>
    </Stack>
  );
}
