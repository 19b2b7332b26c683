import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** 客户端专用密码: the explanation; the list and the 生成专用密码 dialog plug in below it. */
export function AppPasswordsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Text>{t('security.appPasswords.intro')}</Text>
      <Text c="dimmed">{t('security.appPasswords.howTo')}</Text>
    </Stack>
  );
}
