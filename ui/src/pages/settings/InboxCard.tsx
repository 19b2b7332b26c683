import { Anchor, Card, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { linkTo } from '../../router.ts';
import { jmap } from '../mail/jmap.ts';

/** On the welcome page: the inbox's unread count and the way into the webmail. */
export function InboxCard() {
  const { t } = useTranslation();
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    void jmap([['Mailbox/get', { properties: ['role', 'unreadEmails'] }]]).then(
      ([r]) => setUnread((r.list as { role: string | null; unreadEmails: number }[]).find((b) => b.role === 'inbox')?.unreadEmails ?? 0),
      () => {},
    );
  }, []);
  return (
    <Card withBorder radius="md">
      <Group justify="space-between">
        <Text data-testid="welcome-unread">{unread === null ? t('welcome.inbox') : t('welcome.unread', { count: unread })}</Text>
        <Anchor {...linkTo('/mail')} data-testid="welcome-open-mail">
          {t('welcome.openMail')}
        </Anchor>
      </Group>
    </Card>
  );
}
