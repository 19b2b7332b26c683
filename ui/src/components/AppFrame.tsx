import { ActionIcon, AppShell, Avatar, Group, Menu, Stack, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { notify } from '../notify.ts';
import { linkTo, navigate, usePath } from '../router.ts';
import { useSession, type SessionInfo } from '../session.tsx';
import { GearIcon } from './GearIcon.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { MailIcon } from './MailIcon.tsx';
import { PolicyBanner } from './PolicyBanner.tsx';
import { StepUpHost } from './StepUpDialog.tsx';

/** The frame of every signed-in page: avatar top left, the mail-settings gear bottom left (guide §2). */
export function AppFrame({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { account, accept } = useSession();
  const path = usePath();
  if (!account) return null;

  const logout = async () => {
    accept(await api.post<SessionInfo>('/api/logout'));
    notify('success', t('nav.signedOut'));
    navigate('/login', { replace: true });
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 72, breakpoint: 0 }} padding={path === '/mail' ? 0 : 'lg'}>
      <AppShell.Header px="lg">
        <Group h="100%" justify="space-between">
          <Text component="a" fw={700} size="lg" c="inherit" td="none" {...linkTo('/')}>
            {t('app.name')}
          </Text>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Stack h="100%" justify="space-between" align="center">
          <Stack align="center" gap="md">
            <Menu position="right-start" withArrow>
              <Menu.Target>
                {/* Named by hidden text, not aria-label: the initials shown must not contradict the name. */}
                <UnstyledButton data-testid="avatar">
                  <Avatar name={account.displayName || account.address} color="initials" size="lg" radius="xl" aria-hidden />
                  <VisuallyHidden>{t('nav.accountMenu')}</VisuallyHidden>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{account.address}</Menu.Label>
                <Menu.Item component="a" {...linkTo('/settings/personal')}>
                  {t('nav.personal')}
                </Menu.Item>
                {account.isAdmin && (
                  <Menu.Item component="a" {...linkTo('/admin')} data-testid="admin-link">
                    {t('admin.title')}
                  </Menu.Item>
                )}
                <Menu.Divider />
                <Menu.Item color="red" onClick={() => void logout().catch(() => {})}>
                  {t('nav.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Tooltip label={t('nav.mail')} position="right">
              <ActionIcon component="a" variant={path === '/mail' ? 'light' : 'subtle'} color={path === '/mail' ? 'blue' : 'gray'} size="xl" aria-label={t('nav.mail')} data-testid="nav-mail" {...linkTo('/mail')}>
                <MailIcon />
              </ActionIcon>
            </Tooltip>
          </Stack>
          <Tooltip label={t('nav.mailSettings')} position="right">
            <ActionIcon component="a" variant="subtle" color="gray" size="xl" aria-label={t('nav.mailSettings')} data-testid="gear" {...linkTo('/settings/mail')}>
              <GearIcon />
            </ActionIcon>
          </Tooltip>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <StepUpHost />
        <PolicyBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
