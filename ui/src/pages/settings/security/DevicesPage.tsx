import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { formatTime } from '../../../format.ts';
import { notify } from '../../../notify.ts';

/** One signed-in browser, as `GET /api/devices` lists it. */
export interface Device {
  id: string;
  browser: string | null;
  os: string | null;
  place: string;
  ip: string;
  firstSeen: number;
  lastSeen: number;
  current: boolean;
}

/** 登录设备 (C9): every session of the account; sign out one or all others. */
export function DevicesPage() {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<Device[] | null>(null);

  const load = useCallback(async () => {
    setDevices((await api.get<{ devices: Device[] }>('/api/devices')).devices);
  }, []);

  useEffect(() => {
    void load().catch(() => {});
  }, [load, i18n.language]);

  const signOut = async (id: string) => {
    await api.del(`/api/devices/${encodeURIComponent(id)}`);
    notify('success', t('security.devices.signedOut'));
    await load();
  };

  const signOutOthers = async () => {
    const { count } = await api.post<{ count: number }>('/api/devices/sign-out-others');
    notify('success', t('security.devices.signedOutOthers', { count }));
    await load();
  };

  if (!devices) return null;
  const others = devices.filter((d) => !d.current).length;
  return (
    <Stack>
      <Text>{t('security.devices.intro')}</Text>
      <Table striped withTableBorder data-testid="devices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('security.devices.device')}</Table.Th>
            <Table.Th>{t('security.devices.place')}</Table.Th>
            <Table.Th>{t('security.devices.ip')}</Table.Th>
            <Table.Th>{t('security.devices.firstSeen')}</Table.Th>
            <Table.Th>{t('security.devices.lastSeen')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((d) => (
            <Table.Tr key={d.id} data-testid="device-row">
              <Table.Td>
                <Text size="sm">{d.browser ?? t('security.devices.unknownBrowser')}</Text>
                <Text size="xs" c="dimmed">
                  {d.os ?? t('security.devices.unknownOs')}
                </Text>
              </Table.Td>
              <Table.Td>{d.place}</Table.Td>
              <Table.Td>{d.ip}</Table.Td>
              <Table.Td>{formatTime(d.firstSeen)}</Table.Td>
              <Table.Td>{formatTime(d.lastSeen)}</Table.Td>
              <Table.Td>
                {d.current ? (
                  <Badge variant="light">{t('security.devices.thisDevice')}</Badge>
                ) : (
                  <Button size="xs" variant="light" color="red" onClick={() => void signOut(d.id).catch(() => {})}>
                    {t('security.devices.signOut')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        {others > 0 ? (
          <Button variant="outline" color="red" onClick={() => void signOutOthers().catch(() => {})}>
            {t('security.devices.signOutOthers')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            {t('security.devices.empty')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
