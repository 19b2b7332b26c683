import { Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SettingsCard } from './SettingsCard.tsx';
import { WebmailSettings } from './WebmailSettings.tsx';

/** 邮箱设置, behind the gear: path 2 of the guide goes on from here to 安全设置. */
export function MailSettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2}>{t('settings.mail.title')}</Title>
      <Text c="dimmed">{t('settings.mail.intro')}</Text>
      <WebmailSettings />
      <SettingsCard to="/settings/security" title={t('security.title')} description={t('settings.securityCard')} />
    </>
  );
}
