import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../format.ts';
import { useAdminData } from './useAdminData.ts';

interface Dashboard {
  domains: { domain: string; accounts: number; active: number; twoFactorOn: number; byMethod: Record<string, number>; policy: 'off' | 'required'; inGrace: number; pastGrace: number }[];
  exemptions: { address: string; reason: string; createdBy: string; createdAt: number }[];
  lockouts: number;
  recent: { id: string; at: number; type: string; method: string | null; actor: string | null; ip: string | null }[];
}

const methodKinds = ['backupEmail', 'wechat', 'sms', 'totp'];
const percent = (n: number, of: number) => (of === 0 ? '—' : `${Math.round((100 * n) / of)}%`);

/** The dashboard: accounts, activity, 2FA adoption per domain by method, grace, exemptions, lockouts, recent events. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { data } = useAdminData<Dashboard>('/api/admin/dashboard');
  if (!data) return null;
  const sum = (f: (d: Dashboard['domains'][number]) => number) => data.domains.reduce((n, d) => n + f(d), 0);
  const stats = [
    { key: 'accounts', value: sum((d) => d.accounts) },
    { key: 'active', value: sum((d) => d.active) },
    { key: 'adoption', value: percent(sum((d) => d.twoFactorOn), sum((d) => d.accounts)) },
    { key: 'inGrace', value: sum((d) => d.inGrace) },
    { key: 'pastGrace', value: sum((d) => d.pastGrace) },
    { key: 'lockouts', value: data.lockouts },
  ];
  return (
    <Stack data-testid="admin-dashboard">
      <SimpleGrid cols={{ base: 2, md: 6 }}>
        {stats.map((s) => (
          <Card key={s.key} withBorder data-testid={`stat-${s.key}`}>
            <Text size="sm" c="dimmed">
              {t(`admin.dashboard.${s.key}`)}
            </Text>
            <Text size="xl" fw={700}>
              {s.value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Title order={4}>{t('admin.dashboard.perDomain')}</Title>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.domains.name')}</Table.Th>
            <Table.Th>{t('admin.dashboard.accounts')}</Table.Th>
            <Table.Th>{t('admin.dashboard.adoption')}</Table.Th>
            {methodKinds.map((k) => (
              <Table.Th key={k}>{t(`security.twoFactor.methods.${k}.title`)}</Table.Th>
            ))}
            <Table.Th>{t('admin.domains.policy')}</Table.Th>
            <Table.Th>{t('admin.dashboard.inGrace')}</Table.Th>
            <Table.Th>{t('admin.dashboard.pastGrace')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.domains.map((d) => (
            <Table.Tr key={d.domain}>
              <Table.Td>{d.domain}</Table.Td>
              <Table.Td>{d.accounts}</Table.Td>
              <Table.Td>{percent(d.twoFactorOn, d.accounts)}</Table.Td>
              {methodKinds.map((k) => (
                <Table.Td key={k}>{percent(d.byMethod[k] ?? 0, d.accounts)}</Table.Td>
              ))}
              <Table.Td>{t(`admin.policy.${d.policy}`)}</Table.Td>
              <Table.Td>{d.inGrace}</Table.Td>
              <Table.Td>{d.pastGrace}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-start" grow>
        <Stack>
          <Title order={4}>{t('admin.dashboard.exemptions')}</Title>
          {data.exemptions.length === 0 ? (
            <Text c="dimmed">{t('admin.none')}</Text>
          ) : (
            data.exemptions.map((e) => (
              <Text key={e.address} size="sm">
                {e.address} — {e.reason} ({e.createdBy}, {formatTime(e.createdAt)})
              </Text>
            ))
          )}
        </Stack>
        <Stack>
          <Title order={4}>{t('admin.dashboard.recent')}</Title>
          {data.recent.map((e) => (
            <Text key={e.id} size="sm">
              {formatTime(e.at)} · {t(`security.activity.events.${e.type}`, { method: e.method ? t(`security.twoFactor.methods.${e.method}.title`) : '', name: '', count: '', address: '' })}
              {e.actor ? ` · ${e.actor}` : ''}
              {e.ip ? ` · ${e.ip}` : ''}
            </Text>
          ))}
        </Stack>
      </Group>
    </Stack>
  );
}
