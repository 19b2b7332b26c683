import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SettingsCard } from '../SettingsCard.tsx';
import { securitySections } from './sections.ts';

/** 安全设置: one card per security page. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2}>{t('security.title')}</Title>
      {securitySections.map((s) => (
        <SettingsCard key={s.path} to={s.path} title={t(`security.${s.key}.title`)} description={t(`security.${s.key}.description`)} />
      ))}
    </>
  );
}
