import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../format.ts';
import { linkTo } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { InboxCard } from './InboxCard.tsx';

/** A1: the page a user lands on after signing in. */
export function WelcomePage() {
  const { t } = useTranslation();
  const { account } = useSession();
  if (!account) return null;
  const last = account.lastLogin;
  return (
    <Stack maw={720}>
      <Title order={2}>{t('welcome.greeting', { name: account.displayName || account.address })}</Title>
      <Text c="dimmed" data-testid="welcome-address">
        {account.address}
      </Text>
      <InboxCard />
      <Card withBorder radius="md">
        <Text fw={600}>{t('welcome.lastLogin')}</Text>
        <Text data-testid="last-login">
          {last ? t('welcome.lastLoginDetail', { time: formatTime(last.at), place: last.place, ip: last.ip }) : t('welcome.firstLogin')}
        </Text>
      </Card>
      <Card withBorder radius="md">
        <Group justify="space-between">
          <Text data-testid="two-factor-state">{t(account.twoFactorOn ? 'welcome.twoFactorOn' : 'welcome.securityHint')}</Text>
          <Anchor {...linkTo('/settings/security/two-factor')}>{t('welcome.securityLink')}</Anchor>
        </Group>
      </Card>
    </Stack>
  );
}
