import { Alert, Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { linkTo } from '../../../router.ts';
import { twoFactorMethods } from './twoFactorMethods.ts';

/** 二次验证设置 (A4, A5): every method with its controls, and the client-password notice. */
export function TwoFactorPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Text>{t('security.twoFactor.intro')}</Text>
      <Alert color="yellow" data-testid="client-notice">
        {t('security.twoFactor.clientNotice')}
      </Alert>
      {twoFactorMethods.map(({ id, Controls }) => (
        <Card key={id} withBorder radius="md" data-testid={`method-${id}`}>
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={4}>
              <Text fw={600}>{t(`security.twoFactor.methods.${id}.title`)}</Text>
              <Text size="sm" c="dimmed">
                {t(`security.twoFactor.methods.${id}.description`)}
              </Text>
            </Stack>
            {Controls && <Controls />}
          </Group>
        </Card>
      ))}
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
