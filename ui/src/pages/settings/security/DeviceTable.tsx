import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../../format.ts';

/** What every device list shows of a browser. */
export interface DeviceBase {
  id: string;
  browser: string | null;
  os: string | null;
  place: string;
  ip: string | null;
}

/** A time column: its heading (catalogue key) and the epoch milliseconds it shows. */
export interface TimeColumn<D> {
  label: string;
  time: (device: D) => number;
}

interface Props<D extends DeviceBase> {
  devices: D[];
  times: TimeColumn<D>[];
  /** The last cell of a row: a badge or a button. */
  action: (device: D) => ReactNode;
  rowTestId: string;
  testId?: string;
}

/** Browser and OS, place, IP, times and an action per row: 登录设备 and trusted devices alike. */
export function DeviceTable<D extends DeviceBase>({ devices, times, action, rowTestId, testId }: Props<D>) {
  const { t } = useTranslation();
  return (
    <Table striped withTableBorder data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('security.devices.device')}</Table.Th>
          <Table.Th>{t('security.devices.place')}</Table.Th>
          <Table.Th>{t('security.devices.ip')}</Table.Th>
          {times.map((c) => (
            <Table.Th key={c.label}>{t(c.label)}</Table.Th>
          ))}
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {devices.map((d) => (
          <Table.Tr key={d.id} data-testid={rowTestId}>
            <Table.Td>
              <Text size="sm">{d.browser ?? t('security.devices.unknownBrowser')}</Text>
              <Text size="xs" c="dimmed">
                {d.os ?? t('security.devices.unknownOs')}
              </Text>
            </Table.Td>
            <Table.Td>{d.place}</Table.Td>
            <Table.Td>{d.ip}</Table.Td>
            {times.map((c) => (
              <Table.Td key={c.label}>{formatTime(c.time(d))}</Table.Td>
            ))}
            <Table.Td>{action(d)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
