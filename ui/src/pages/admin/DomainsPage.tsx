import { Button, Card, Code, Group, NumberInput, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { formatTime } from '../../format.ts';
import { notify } from '../../notify.ts';
import { useAdminData } from './useAdminData.ts';

interface Policy {
  twoFactor: 'off' | 'required';
  startsAt: number;
  graceDays: number;
  helpPhone: string;
  helpEmail: string;
}
interface Domain {
  name: string;
  accounts: number;
  createdAt: number;
  policy: Policy | null;
}

/** A time as the local date of a date input (YYYY-MM-DD). */
const dateInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** One domain: its 2FA policy (start date, grace days), help-desk contacts, DKIM records, removal. */
function DomainCard({ domain, onChanged }: { domain: Domain; onChanged: () => void }) {
  const { t } = useTranslation();
  const p = domain.policy;
  const [twoFactor, setTwoFactor] = useState<string>(p?.twoFactor ?? 'off');
  const [startsAt, setStartsAt] = useState(dateInput(p?.startsAt ?? Date.now()));
  const [graceDays, setGraceDays] = useState<number>(p?.graceDays ?? 14);
  const [phone, setPhone] = useState(p?.helpPhone ?? '');
  const [email, setEmail] = useState(p?.helpEmail ?? '');
  const [dkim, setDkim] = useState<{ name: string; value: string }[] | null>(null);
  const base = `/api/admin/domains/${encodeURIComponent(domain.name)}`;
  const done = () => {
    notify('success', t('admin.saved'));
    onChanged();
  };

  return (
    <Card withBorder data-testid={`domain-${domain.name}`}>
      <Stack>
        <Group justify="space-between">
          <Text fw={700}>{domain.name}</Text>
          <Text size="sm" c="dimmed">
            {t('admin.domains.accountCount', { count: domain.accounts })} · {formatTime(domain.createdAt)}
          </Text>
        </Group>
        <Group align="flex-end">
          <Stack gap={4}>
            <Text size="sm">{t('admin.domains.policy')}</Text>
            <SegmentedControl value={twoFactor} onChange={setTwoFactor} data={[{ value: 'off', label: t('admin.policy.off') }, { value: 'required', label: t('admin.policy.required') }]} data-testid="policy-mode" />
          </Stack>
          <TextInput type="date" label={t('admin.domains.startsAt')} value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} data-testid="policy-start" />
          <NumberInput label={t('admin.domains.graceDays')} min={0} max={365} value={graceDays} onChange={(v) => setGraceDays(Number(v) || 0)} w={140} data-testid="policy-grace" />
          <Button
            data-testid="policy-save"
            onClick={() => void api.post(`${base}/policy`, { twoFactor, graceDays, startsAt: new Date(`${startsAt}T00:00:00`).getTime() }).then(done, () => {})}
          >
            {t('admin.save')}
          </Button>
        </Group>
        <Group align="flex-end">
          <TextInput label={t('admin.domains.helpPhone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
          <TextInput label={t('admin.domains.helpEmail')} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Button variant="light" onClick={() => void api.post(`${base}/help`, { phone, email }).then(done, () => {})}>
            {t('admin.save')}
          </Button>
        </Group>
        <Group>
          <Button variant="light" onClick={() => void api.post<{ records: { name: string; value: string }[] }>(`${base}/dkim`).then((r) => setDkim(r.records), () => {})}>
            {t('admin.domains.dkim')}
          </Button>
          <Button variant="light" color="red" data-testid="domain-remove" onClick={() => void api.del(base).then(done, () => {})}>
            {t('admin.domains.remove')}
          </Button>
        </Group>
        {dkim && (
          <Stack gap={4}>
            {dkim.map((r) => (
              <Code key={r.name} block>
                {r.name}. IN TXT "{r.value}"
              </Code>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** Domains: add, remove (refused while accounts use it), policy, help-desk contacts, DKIM records. */
export function DomainsPage() {
  const { t } = useTranslation();
  const { data, reload } = useAdminData<{ domains: Domain[] }>('/api/admin/domains');
  const [name, setName] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    void api.post('/api/admin/domains', { name }).then(() => {
      setName('');
      void reload();
    }, () => {});
  };
  if (!data) return null;
  return (
    <Stack>
      <form onSubmit={add}>
        <Group align="flex-end">
          <TextInput label={t('admin.domains.add')} placeholder="example.edu" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit">{t('admin.domains.addButton')}</Button>
        </Group>
      </form>
      <Table.ScrollContainer minWidth={600}>
        <Stack>
          {data.domains.map((d) => (
            <DomainCard key={`${d.name}:${d.policy?.startsAt ?? 0}`} domain={d} onChanged={() => void reload().catch(() => {})} />
          ))}
        </Stack>
      </Table.ScrollContainer>
    </Stack>
  );
}
