import { Box, Divider, Flex, NavLink, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HelpLine } from '../../components/HelpLine.tsx';
import { linkTo, usePath } from '../../router.ts';

const entries = [
  { path: '/settings/personal', labelKey: 'nav.personal' },
  { path: '/settings/mail', labelKey: 'nav.mailSettings' },
  { path: '/settings/security', labelKey: 'nav.security' },
];

/** The settings area: reached from the avatar (个人设置) and from the gear (邮箱设置). */
export function SettingsLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  return (
    <Flex direction={{ base: 'column', sm: 'row' }} align={{ base: 'stretch', sm: 'flex-start' }} gap={{ base: 'md', sm: 'xl' }}>
      <Box component="nav" w={{ base: '100%', sm: 200 }} style={{ flexShrink: 0 }} aria-label={t('settings.title')}>
        {entries.map((e) => (
          <NavLink key={e.path} label={t(e.labelKey)} active={path === e.path || path.startsWith(e.path + '/')} {...linkTo(e.path)} />
        ))}
      </Box>
      <Stack style={{ flex: 1, minWidth: 0 }} maw={960}>
        {children}
        <Divider mt="xl" />
        <HelpLine />
      </Stack>
    </Flex>
  );
}
