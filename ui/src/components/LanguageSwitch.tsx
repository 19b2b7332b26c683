import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLang, languages, setLanguage, type Lang } from '../i18n.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      data={languages.map((l) => ({ value: l.value, label: l.label }))}
      value={currentLang()}
      onChange={(value) => void setLanguage(value as Lang)}
    />
  );
}
