import { Button, Group, Notification } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dismissPending, undo, undoSeconds, usePending } from './outbox.ts';

/** "正在发送… 撤销" for the 5 s of undo send, then sent or failed. */
export function PendingBar() {
  const { t } = useTranslation();
  const pending = usePending();
  const [left, setLeft] = useState(undoSeconds);
  useEffect(() => {
    if (pending?.state !== 'waiting') return;
    setLeft(undoSeconds);
    const timer = setInterval(() => setLeft((n) => Math.max(0, n - 1)), 1000);
    return () => clearInterval(timer);
  }, [pending?.id, pending?.state]);
  if (!pending) return null;
  return (
    <Notification
      pos="fixed"
      bottom={16}
      left="50%"
      style={{ transform: 'translateX(-50%)', zIndex: 1100, minWidth: 300 }}
      color={pending.state === 'failed' ? 'red' : 'blue'}
      withCloseButton={pending.state === 'failed'}
      onClose={dismissPending}
      data-testid="pending-send"
      data-state={pending.state}
      role="status"
    >
      <Group justify="space-between" wrap="nowrap">
        <span>{pending.state === 'waiting' ? t('webmail.send.waiting', { seconds: left }) : pending.state === 'sending' ? t('webmail.send.sending') : t('webmail.send.failed', { error: pending.error })}</span>
        {pending.state === 'waiting' && (
          <Button size="compact-sm" variant="light" onClick={undo} data-testid="undo-send">
            {t('webmail.send.undo')}
          </Button>
        )}
      </Group>
    </Notification>
  );
}
