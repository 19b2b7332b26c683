import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { formatTime } from '../../../format.ts';
import { notify } from '../../../notify.ts';
import { NewAppPasswordDialog, type AppPassword } from './NewAppPasswordDialog.tsx';

/** 客户端专用密码 (E2, E3, X3): generate one per client, see where each was last used, delete. */
export function AppPasswordsPage() {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<AppPassword[] | null>(null);
  const [generating, setGenerating] = useState(false);
  const [deleting, setDeleting] = useState<AppPassword | null>(null);

  const load = useCallback(async () => {
    setList((await api.get<{ appPasswords: AppPassword[] }>('/api/app-passwords')).appPasswords);
  }, []);

  useEffect(() => {
    void load().catch(() => {});
  }, [load, i18n.language]);

  const remove = async (p: AppPassword) => {
    await api.del(`/api/app-passwords/${encodeURIComponent(p.id)}`);
    setDeleting(null);
    notify('success', t('security.appPasswords.deleted', { name: p.name }));
    await load();
  };

  const lastUse = (p: AppPassword) =>
    p.lastUsedAt === null
      ? t('security.appPasswords.neverUsed')
      : t('security.appPasswords.lastUseLine', { time: formatTime(p.lastUsedAt), protocol: p.lastUsedProtocol?.toUpperCase() ?? '', ip: p.lastUsedIp ?? '' });

  return (
    <Stack>
      <Text>{t('security.appPasswords.intro')}</Text>
      <Text c="dimmed">{t('security.appPasswords.howTo')}</Text>
      <Group>
        <Button onClick={() => setGenerating(true)}>{t('security.appPasswords.generateButton')}</Button>
      </Group>
      {list && list.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('security.appPasswords.empty')}
        </Text>
      )}
      {list && list.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped withTableBorder data-testid="app-passwords">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('security.appPasswords.name')}</Table.Th>
                <Table.Th>{t('security.appPasswords.created')}</Table.Th>
                <Table.Th>{t('security.appPasswords.scopes')}</Table.Th>
                <Table.Th>{t('security.appPasswords.limits')}</Table.Th>
                <Table.Th>{t('security.appPasswords.lastUsed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((p) => (
                <Table.Tr key={p.id} data-testid="app-password-row">
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{formatTime(p.createdAt)}</Table.Td>
                  <Table.Td>{p.scopes.map((s) => s.toUpperCase()).join(' · ')}</Table.Td>
                  <Table.Td data-testid="app-password-limits">
                    <Text size="sm" c={p.expiresAt !== null && p.expiresAt <= Date.now() ? 'red' : undefined}>
                      {p.expiresAt === null ? t('security.appPasswords.noExpiry') : t(p.expiresAt <= Date.now() ? 'security.appPasswords.expired' : 'security.appPasswords.expiresAt', { time: formatTime(p.expiresAt) })}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {p.networks.length ? p.networks.join(', ') : t('security.appPasswords.anyNetwork')}
                    </Text>
                  </Table.Td>
                  <Table.Td data-testid="last-used">{lastUse(p)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" color="red" onClick={() => setDeleting(p)}>
                      {t('security.appPasswords.delete')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewAppPasswordDialog
        opened={generating}
        onClose={() => {
          setGenerating(false);
          void load().catch(() => {});
        }}
      />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('security.appPasswords.deleteTitle')}>
        <Stack>
          <Text>{t('security.appPasswords.deleteConfirm', { name: deleting?.name ?? '' })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('security.appPasswords.cancel')}
            </Button>
            <Button color="red" onClick={() => deleting && void remove(deleting).catch(() => {})}>
              {t('security.appPasswords.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
