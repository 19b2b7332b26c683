import { Notification, Stack } from '@mantine/core';
import { dismiss, useNotices } from '../notify.ts';

export function Notifications() {
  const notices = useNotices();
  return (
    <Stack pos="fixed" bottom={16} right={16} w={360} gap="sm" style={{ zIndex: 1000 }} aria-live="polite">
      {notices.map((n) => (
        <Notification key={n.id} color={n.kind === 'error' ? 'red' : 'teal'} title={n.title} onClose={() => dismiss(n.id)} withBorder>
          {n.message}
        </Notification>
      ))}
    </Stack>
  );
}
