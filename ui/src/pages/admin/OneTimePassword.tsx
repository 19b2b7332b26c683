import { Button, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface AdminAccount {
  id: string;
  address: string;
  displayName: string;
  isAdmin: boolean;
  disabled: boolean;
  quotaMiB: number;
  createdAt: number;
  lastLoginAt: number | null;
}

/** A one-time password, shown once in a dialog. */
export function OneTimePassword({ shown, onClose }: { shown: { address: string; password: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={shown !== null} onClose={onClose} title={t('admin.accounts.oneTime')}>
      {shown && (
        <Stack>
          <Text>{t('admin.accounts.oneTimeHint', { address: shown.address })}</Text>
          <Text ff="monospace" fz="xl" fw={700} data-testid="one-time-password">
            {shown.password}
          </Text>
          <Button onClick={onClose}>{t('admin.close')}</Button>
        </Stack>
      )}
    </Modal>
  );
}
