import { Badge, Button, Divider, Group, NumberInput, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatTime } from '../../format.ts';
import { notify } from '../../notify.ts';
import { OneTimePassword, type AdminAccount } from './OneTimePassword.tsx';
import { useAdminData } from './useAdminData.ts';

interface Details {
  account: AdminAccount;
  twoFactorOn: boolean;
  methods: { id: string; kind: string; label: string; boundAt: string }[];
  recoveryCodesLeft: number | null;
  aliases: string[];
  standing: { state: 'off' | 'exempt' | 'grace' | 'enforced'; endsAt: number | null; daysLeft: number | null };
  exemption: { reason: string; createdBy: string; createdAt: number } | null;
  trustedDevices: { id: string; browser: string | null; os: string | null; place: string; lastUsedAt: number; expiresAt: number }[];
  appPasswords: { id: string; name: string; scopes: string[]; createdAt: number; lastUsedAt: number | null; lastUsedIp: string | null }[];
  sessions: { id: string; browser: string | null; os: string | null; place: string; ip: string; lastSeenAt: number }[];
}

function Rows({ title, rows }: { title: string; rows: string[][] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Title order={5}>{title}</Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('admin.none')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                {r.map((c, j) => (
                  <Table.Td key={j}>{c}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** One account as the help desk sees it, with every action on it; each change asks for a step-up. */
export function AccountDetails({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const base = `/api/admin/accounts/${encodeURIComponent(id)}`;
  const { data, reload } = useAdminData<Details>(base);
  const [quota, setQuota] = useState<number | null>(null);
  const [alias, setAlias] = useState('');
  const [reason, setReason] = useState('');
  const [exemptReason, setExemptReason] = useState('');
  const [oneTime, setOneTime] = useState<{ address: string; password: string } | null>(null);
  if (!data) return null;
  const { account } = data;
  const act = (path: string, body: unknown = {}, message = 'admin.saved') =>
    api.post(`${base}${path}`, body).then(() => {
      notify('success', t(message));
      onChanged();
      return reload();
    });
  const device = (d: { browser: string | null; os: string | null }) => [d.browser, d.os].filter(Boolean).join(' · ') || '—';

  return (
    <Stack data-testid="account-details">
      <Group justify="space-between">
        <Title order={4}>{account.address}</Title>
        <Badge color={data.twoFactorOn ? 'green' : 'gray'}>{t(data.twoFactorOn ? 'twoFactor.on' : 'twoFactor.off')}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {t(`admin.standing.${data.standing.state}`, { days: data.standing.daysLeft ?? 0 })}
      </Text>
      <Group>
        <Switch label={t('admin.accounts.disabled')} checked={account.disabled} onChange={(e) => void act('/disabled', { disabled: e.currentTarget.checked }).catch(() => {})} data-testid="toggle-disabled" />
        <Switch label={t('admin.accounts.admin')} checked={account.isAdmin} onChange={(e) => void act('/admin', { isAdmin: e.currentTarget.checked }).catch(() => {})} />
      </Group>
      <Group align="flex-end">
        <NumberInput label={t('admin.accounts.quotaMiB')} value={quota ?? account.quotaMiB} min={1} onChange={(v) => setQuota(Number(v) || null)} w={160} />
        <Button variant="light" onClick={() => void act('/quota', { quotaMiB: quota ?? account.quotaMiB }).catch(() => {})}>
          {t('admin.save')}
        </Button>
      </Group>
      <Group>
        <Button variant="light" onClick={() => void api.post<{ password: string }>(`${base}/password`).then((r) => setOneTime({ address: account.address, password: r.password }), () => {})}>
          {t('admin.accounts.resetPassword')}
        </Button>
        <Button variant="light" onClick={() => void act('/sign-out', {}, 'admin.accounts.signedOut').catch(() => {})}>
          {t('admin.accounts.signOut')}
        </Button>
      </Group>
      <Divider />
      <Title order={5}>{t('admin.accounts.aliases')}</Title>
      {data.aliases.map((a) => (
        <Group key={a} justify="space-between">
          <Text size="sm">{a}</Text>
          <Button size="xs" variant="subtle" color="red" onClick={() => void api.del(`${base}/aliases/${encodeURIComponent(a)}`).then(() => reload(), () => {})}>
            {t('admin.remove')}
          </Button>
        </Group>
      ))}
      <Group align="flex-end">
        <TextInput placeholder="sales@example.edu" value={alias} onChange={(e) => setAlias(e.currentTarget.value)} data-testid="alias-input" />
        <Button variant="light" onClick={() => void act('/aliases', { address: alias }).then(() => setAlias(''), () => {})}>
          {t('admin.accounts.addAlias')}
        </Button>
      </Group>
      <Divider />
      <Title order={5}>{t('admin.accounts.reset2fa')}</Title>
      <Text size="sm">{t('admin.accounts.reset2faHint')}</Text>
      <Textarea label={t('admin.accounts.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="reset-reason" />
      <Group>
        <Button color="red" disabled={!reason.trim()} data-testid="reset-2fa" onClick={() => void act('/reset-2fa', { reason }, 'admin.accounts.reset2faDone').then(() => setReason(''), () => {})}>
          {t('admin.accounts.reset2fa')}
        </Button>
      </Group>
      <Divider />
      <Title order={5}>{t('admin.accounts.exemption')}</Title>
      {data.exemption ? (
        <Group justify="space-between">
          <Text size="sm">
            {data.exemption.reason} ({data.exemption.createdBy}, {formatTime(data.exemption.createdAt)})
          </Text>
          <Button size="xs" variant="subtle" color="red" onClick={() => void api.del(`${base}/exemption`).then(() => reload(), () => {})}>
            {t('admin.remove')}
          </Button>
        </Group>
      ) : (
        <Group align="flex-end">
          <TextInput label={t('admin.accounts.reason')} value={exemptReason} onChange={(e) => setExemptReason(e.currentTarget.value)} />
          <Button variant="light" disabled={!exemptReason.trim()} onClick={() => void act('/exemption', { reason: exemptReason }).then(() => setExemptReason(''), () => {})}>
            {t('admin.accounts.exempt')}
          </Button>
        </Group>
      )}
      <Divider />
      <Rows title={t('admin.accounts.methods')} rows={data.methods.map((m) => [t(`security.twoFactor.methods.${m.kind}.title`), m.label, formatTime(Date.parse(m.boundAt))])} />
      <Rows title={t('admin.accounts.trustedDevices')} rows={data.trustedDevices.map((d) => [device(d), d.place, formatTime(d.lastUsedAt)])} />
      <Rows title={t('admin.accounts.appPasswords')} rows={data.appPasswords.map((p) => [p.name, p.scopes.join(', '), p.lastUsedAt ? formatTime(p.lastUsedAt) : '—'])} />
      <Rows title={t('admin.accounts.sessions')} rows={data.sessions.map((s) => [device(s), s.place, s.ip, formatTime(s.lastSeenAt)])} />
      <OneTimePassword shown={oneTime} onClose={() => setOneTime(null)} />
    </Stack>
  );
}
