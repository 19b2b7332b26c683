import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { formatTime } from '../../../format.ts';
import { notify } from '../../../notify.ts';

interface TrustedDevice {
  id: string;
  browser: string | null;
  os: string | null;
  place: string;
  ip: string | null;
  trustedAt: number;
  lastUsed: number;
  expiresAt: number;
}

/** Browsers that skip step 2 (C7, C9, X8): remove trust from one or all. */
export function TrustedDevices() {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<TrustedDevice[] | null>(null);

  const load = useCallback(async () => {
    setDevices((await api.get<{ devices: TrustedDevice[] }>('/api/trusted-devices')).devices);
  }, []);

  useEffect(() => {
    void load().catch(() => {});
  }, [load, i18n.language]);

  const remove = async (id: string) => {
    await api.del(`/api/trusted-devices/${encodeURIComponent(id)}`);
    notify('success', t('trustedDevices.removed'));
    await load();
  };

  const removeAll = async () => {
    const { count } = await api.post<{ count: number }>('/api/trusted-devices/remove-all');
    notify('success', t('trustedDevices.removedAll', { count }));
    await load();
  };

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
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('security.devices.device')}</Table.Th>
                <Table.Th>{t('security.devices.place')}</Table.Th>
                <Table.Th>{t('security.devices.ip')}</Table.Th>
                <Table.Th>{t('trustedDevices.trustedAt')}</Table.Th>
                <Table.Th>{t('trustedDevices.expiresAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.map((d) => (
                <Table.Tr key={d.id} data-testid="trusted-row">
                  <Table.Td>
                    <Text size="sm">{d.browser ?? t('security.devices.unknownBrowser')}</Text>
                    <Text size="xs" c="dimmed">
                      {d.os ?? t('security.devices.unknownOs')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{d.place}</Table.Td>
                  <Table.Td>{d.ip}</Table.Td>
                  <Table.Td>{formatTime(d.trustedAt)}</Table.Td>
                  <Table.Td>{formatTime(d.expiresAt)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" color="red" onClick={() => void remove(d.id).catch(() => {})} data-testid="trusted-remove">
                      {t('trustedDevices.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button variant="outline" color="red" onClick={() => void removeAll().catch(() => {})} data-testid="trusted-remove-all">
              {t('trustedDevices.removeAll')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
