import { Tabs, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { linkTo, navigate, usePath } from '../../../router.ts';
import { securitySections } from './sections.ts';

/** The frame of each 安全设置 page: its title and a tab per section. */
export function SecurityTabs({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  return (
    <>
      <Title order={2}>{t('security.title')}</Title>
      <Tabs value={path} onChange={(value) => value && navigate(value)}>
        <Tabs.List>
          {securitySections.map((s) => (
            // Links under the tab role: reachable with Tab and the arrows, named to screen readers, and openable in a new tab.
            <Tabs.Tab key={s.path} value={s.path} component="a" {...linkTo(s.path)}>
              {t(`security.${s.key}.title`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {children}
    </>
  );
}
