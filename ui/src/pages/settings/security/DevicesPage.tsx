import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeviceView } from '../../../../../src/web/routes/devices.ts';
import { DeviceTable, type TimeColumn } from './DeviceTable.tsx';
import { TrustedDevices } from './TrustedDevices.tsx';
import { useDeviceList } from './useDeviceList.ts';

const sessionsApi = { path: '/api/devices', bulk: 'sign-out-others', removed: 'security.devices.signedOut', bulkDone: 'security.devices.signedOutOthers' };
const times: TimeColumn<DeviceView>[] = [
  { label: 'security.devices.firstSeen', time: (d) => d.firstSeen },
  { label: 'security.devices.lastSeen', time: (d) => d.lastSeen },
];

/** 登录设备 (C9): every session of the account; sign out one or all others. */
export function DevicesPage() {
  const { t } = useTranslation();
  const { devices, remove, removeAll } = useDeviceList<DeviceView>(sessionsApi);

  if (!devices) return null;
  const others = devices.filter((d) => !d.current).length;
  return (
    <Stack>
      <Text>{t('security.devices.intro')}</Text>
      <Table.ScrollContainer minWidth={720}>
        <DeviceTable
          devices={devices}
          times={times}
          rowTestId="device-row"
          testId="devices"
          action={(d) =>
            d.current ? (
              <Badge variant="light">{t('security.devices.thisDevice')}</Badge>
            ) : (
              <Button size="xs" variant="light" color="red" onClick={() => remove(d.id)}>
                {t('security.devices.signOut')}
              </Button>
            )
          }
        />
      </Table.ScrollContainer>
      <Group>
        {others > 0 ? (
          <Button variant="outline" color="red" onClick={removeAll}>
            {t('security.devices.signOutOthers')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            {t('security.devices.empty')}
          </Text>
        )}
      </Group>
      <TrustedDevices />
    </Stack>
  );
}
