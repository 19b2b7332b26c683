import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { linkTo } from '../../router.ts';

/** A clickable summary of one settings page. */
export function SettingsCard({ to, title, description }: { to: string; title: string; description: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={4}>
          <Text fw={600} component="a" {...linkTo(to)}>
            {title}
          </Text>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </Stack>
        <Button component="a" variant="light" aria-hidden tabIndex={-1} {...linkTo(to)}>
          {t('settings.open')}
        </Button>
      </Group>
    </Card>
  );
}
