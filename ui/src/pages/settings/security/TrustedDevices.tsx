import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DeviceTable, type DeviceBase, type TimeColumn } from './DeviceTable.tsx';
import { useDeviceList } from './useDeviceList.ts';

interface TrustedDevice extends DeviceBase {
  trustedAt: number;
  lastUsed: number;
  expiresAt: number;
}

const trustedApi = { path: '/api/trusted-devices', bulk: 'remove-all', removed: 'trustedDevices.removed', bulkDone: 'trustedDevices.removedAll' };
const times: TimeColumn<TrustedDevice>[] = [
  { label: 'trustedDevices.trustedAt', time: (d) => d.trustedAt },
  { label: 'trustedDevices.expiresAt', time: (d) => d.expiresAt },
];

/** Browsers that skip step 2 (C7, C9, X8): remove trust from one or all. */
export function TrustedDevices() {
  const { t } = useTranslation();
  const { devices, remove, removeAll } = useDeviceList<TrustedDevice>(trustedApi);

  if (!devices) return null;
  return (
    <Stack mt="lg" data-testid="trusted-devices">
      <Title order={4}>{t('trustedDevices.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('trustedDevices.intro')}
      </Text>
      {devices.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="trusted-empty">
          {t('trustedDevices.empty')}
        </Text>
      ) : (
        <>
          <DeviceTable
            devices={devices}
            times={times}
            rowTestId="trusted-row"
            action={(d) => (
              <Button size="xs" variant="light" color="red" onClick={() => remove(d.id)} data-testid="trusted-remove">
                {t('trustedDevices.remove')}
              </Button>
            )}
          />
          <Group>
            <Button variant="outline" color="red" onClick={removeAll} data-testid="trusted-remove-all">
              {t('trustedDevices.removeAll')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
