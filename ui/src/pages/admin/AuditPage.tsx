import { Anchor, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatTime } from '../../format.ts';

interface AuditEvent {
  id: string;
  at: number;
  account: string | null;
  type: string;
  actor: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

const filterKeys = ['account', 'type', 'actor', 'ip'] as const;

/** The audit log: filter by account, event type, actor, IP and date; page by cursor; export CSV. */
export function AuditPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const query = (before?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) {
      if (!v) continue;
      if (k === 'from' || k === 'to') q.set(k, String(new Date(`${v}T00:00:00`).getTime() + (k === 'to' ? 86_400_000 : 0)));
      else q.set(k, v);
    }
    if (before) q.set('before', before);
    return q.toString();
  };
  const load = useCallback(
    async (before?: string) => {
      const page = await api.get<{ events: AuditEvent[]; next: string | null }>(`/api/admin/audit?${query(before)}`);
      setEvents((shown) => (before ? [...shown, ...page.events] : page.events));
      setNext(page.next);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filter],
  );
  useEffect(() => {
    void load().catch(() => {});
  }, [load]);
  const set = (key: string) => (value: string) => setFilter((f) => ({ ...f, [key]: value }));

  return (
    <Stack>
      <Group align="flex-end">
        {filterKeys.map((k) => (
          <TextInput key={k} label={t(`admin.audit.${k}`)} value={filter[k] ?? ''} onChange={(e) => set(k)(e.currentTarget.value)} data-testid={`audit-${k}`} />
        ))}
        <TextInput type="date" label={t('admin.audit.from')} value={filter.from ?? ''} onChange={(e) => set('from')(e.currentTarget.value)} />
        <TextInput type="date" label={t('admin.audit.to')} value={filter.to ?? ''} onChange={(e) => set('to')(e.currentTarget.value)} />
        <Anchor href={`/api/admin/audit.csv?${query()}`} download data-testid="audit-csv">
          {t('admin.audit.csv')}
        </Anchor>
      </Group>
      <Table striped withTableBorder data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            {['time', 'account', 'type', 'actor', 'ip', 'detail'].map((h) => (
              <Table.Th key={h}>{t(`admin.audit.${h}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatTime(e.at)}</Table.Td>
              <Table.Td>{e.account ?? '—'}</Table.Td>
              <Table.Td>{e.type}</Table.Td>
              <Table.Td>{e.actor ?? '—'}</Table.Td>
              <Table.Td>{e.ip ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="xs" style={{ wordBreak: 'break-all' }}>
                  {Object.entries(e.detail)
                    .filter(([k]) => k !== 'operator')
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(' ')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {next && (
        <Group>
          <Button variant="light" onClick={() => void load(next).catch(() => {})}>
            {t('security.activity.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
