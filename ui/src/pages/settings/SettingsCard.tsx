import { Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { linkTo } from '../../router.ts';

/** A summary of one settings page; the whole card is one link (one Tab stop, read as its title and description). */
export function SettingsCard({ to, title, description }: { to: string; title: string; description: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" component="a" {...linkTo(to)} data-testid="settings-card">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={4}>
          <Text fw={600}>{title}</Text>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </Stack>
        <Text c="blue.8" fw={500} aria-hidden>
          {t('settings.open')} ›
        </Text>
      </Group>
    </Card>
  );
}
