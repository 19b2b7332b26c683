import { Badge, Button, Drawer, Group, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatTime } from '../../format.ts';
import { AccountDetails } from './AccountDetails.tsx';
import { OneTimePassword, type AdminAccount } from './OneTimePassword.tsx';

/** Accounts: prefix search paged by cursor, create with a one-time password, and each account's details. */
export function AccountsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [accounts, setAccounts] = useState<AdminAccount[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [created, setCreated] = useState<{ address: string; password: string } | null>(null);
  const [address, setAddress] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);

  const load = useCallback(
    async (after?: string) => {
      const page = await api.get<{ accounts: AdminAccount[]; next: string | null }>(`/api/admin/accounts?q=${encodeURIComponent(q)}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      setAccounts((shown) => (after ? [...shown, ...page.accounts] : page.accounts));
      setNext(page.next);
    },
    [q],
  );
  useEffect(() => {
    const timer = setTimeout(() => void load().catch(() => {}), 200);
    return () => clearTimeout(timer);
  }, [load]);

  const create = (event: FormEvent) => {
    event.preventDefault();
    void api.post<{ account: AdminAccount; password: string }>('/api/admin/accounts', { address, isAdmin }).then((r) => {
      setCreated({ address: r.account.address, password: r.password });
      setAddress('');
      void load();
    }, () => {});
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <TextInput label={t('admin.accounts.search')} placeholder="alice@" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} data-testid="account-search" />
        <form onSubmit={create}>
          <Group align="flex-end">
            <TextInput label={t('admin.accounts.create')} placeholder="alice@example.edu" value={address} onChange={(e) => setAddress(e.currentTarget.value)} />
            <Switch label={t('admin.accounts.admin')} checked={isAdmin} onChange={(e) => setIsAdmin(e.currentTarget.checked)} />
            <Button type="submit">{t('admin.accounts.createButton')}</Button>
          </Group>
        </form>
      </Group>
      <Table striped highlightOnHover withTableBorder data-testid="account-table">
        <Table.Thead>
          <Table.Tr>
            {['address', 'name', 'state', 'quota', 'lastLogin'].map((h) => (
              <Table.Th key={h}>{t(`admin.accounts.${h}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((a) => (
            <Table.Tr key={a.id} onClick={() => setOpen(a.id)} style={{ cursor: 'pointer' }} data-testid="account-row" data-address={a.address}>
              <Table.Td>{a.address}</Table.Td>
              <Table.Td>{a.displayName}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {a.isAdmin && <Badge color="grape">{t('admin.accounts.admin')}</Badge>}
                  <Badge color={a.disabled ? 'red' : 'green'}>{t(a.disabled ? 'admin.accounts.disabled' : 'admin.accounts.enabled')}</Badge>
                </Group>
              </Table.Td>
              <Table.Td>{a.quotaMiB} MiB</Table.Td>
              <Table.Td>{a.lastLoginAt ? formatTime(a.lastLoginAt) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {next && (
        <Group>
          <Button variant="light" onClick={() => void load(next).catch(() => {})} data-testid="account-more">
            {t('security.activity.loadMore')}
          </Button>
        </Group>
      )}
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="xl" title={t('admin.accounts.details')} closeButtonProps={{ 'aria-label': t('a11y.closeDialog') }}>
        {open && <AccountDetails id={open} onChanged={() => void load().catch(() => {})} />}
      </Drawer>
      <OneTimePassword shown={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}
