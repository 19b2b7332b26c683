import { Alert, Button, Checkbox, CopyButton, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { useFormAction } from '../../../components/useFormAction.ts';

export const protocols = ['imap', 'pop3', 'smtp'] as const;
export type Protocol = (typeof protocols)[number];

export interface AppPassword {
  id: string;
  name: string;
  scopes: Protocol[];
  createdAt: number;
  lastUsedAt: number | null;
  lastUsedProtocol: Protocol | null;
  lastUsedIp: string | null;
  /** Epoch ms after which it is refused; null: never (X11). */
  expiresAt: number | null;
  /** CIDR blocks it may be used from; empty: anywhere (X11). */
  networks: string[];
}

const expiries = ['never', '30', '90', '365'] as const;

interface Server {
  host: string;
  port: number;
  security: string;
  starttlsPort?: number;
}

interface Created {
  appPassword: AppPassword;
  password: string;
  username: string;
  servers: Record<Protocol, Server>;
}

/** Step 1: name it and pick protocols. Step 2: the password, shown this once, with the client settings. */
export function NewAppPasswordDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...protocols]);
  const [expiry, setExpiry] = useState<string>('never');
  const [networks, setNetworks] = useState('');
  const [created, setCreated] = useState<Created | null>(null);

  const close = () => {
    // Forgotten as the dialog closes: the password can never be shown again.
    setCreated(null);
    setName('');
    setScopes([...protocols]);
    setExpiry('never');
    setNetworks('');
    onClose();
  };

  // The api's notification shows the server's reason for a refusal.
  const { busy, onSubmit: generate } = useFormAction(async () => {
    const limits = { expiresInDays: expiry === 'never' ? null : Number(expiry), networks: networks.split(/[\s,，]+/).filter(Boolean) };
    setCreated(await api.post<Created>('/api/app-passwords', { name, scopes, ...limits }));
  });

  return (
    <Modal opened={opened} onClose={close} title={t('security.appPasswords.generateTitle')} size="lg" closeOnClickOutside={!created}>
      {created ? (
        <Stack>
          <Text>{t('security.appPasswords.createdFor', { name: created.appPassword.name })}</Text>
          <Group justify="center" p="md" bg="gray.0" style={{ borderRadius: 8 }}>
            <Text data-testid="new-app-password" ff="monospace" fz={28} fw={700} style={{ letterSpacing: 2 }}>
              {created.password}
            </Text>
          </Group>
          <CopyButton value={created.password.replaceAll(' ', '')}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? t('security.appPasswords.copied') : t('security.appPasswords.copy')}
              </Button>
            )}
          </CopyButton>
          <Alert color="orange">{t('security.appPasswords.onlyOnce')}</Alert>
          <Title order={5}>{t('security.appPasswords.setupTitle')}</Title>
          <Table withTableBorder data-testid="setup-hints">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('security.appPasswords.username')}</Table.Th>
                <Table.Td>{created.username}</Table.Td>
              </Table.Tr>
              {protocols
                .filter((p) => created.appPassword.scopes.includes(p))
                .map((p) => {
                  const s = created.servers[p];
                  return (
                    <Table.Tr key={p}>
                      <Table.Th>{t(`security.appPasswords.server.${p}`)}</Table.Th>
                      <Table.Td>
                        {t('security.appPasswords.serverLine', { host: s.host, port: s.port })}
                        {s.starttlsPort ? t('security.appPasswords.starttlsLine', { port: s.starttlsPort }) : ''}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
            </Table.Tbody>
          </Table>
          <Text size="sm" c="dimmed">
            {t('security.appPasswords.autoDiscovery')}
          </Text>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {t('security.appPasswords.appleHint')}
            </Text>
            <Button component="a" href="/api/autoconfig/apple.mobileconfig" download variant="light" data-testid="apple-profile" style={{ flexShrink: 0 }}>
              {t('security.appPasswords.appleProfile')}
            </Button>
          </Group>
          <Group justify="flex-end">
            <Button onClick={close}>{t('security.appPasswords.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={generate}>
          <Stack>
            <TextInput
              label={t('security.appPasswords.name')}
              placeholder={t('security.appPasswords.namePlaceholder')}
              required
              maxLength={64}
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Checkbox.Group label={t('security.appPasswords.scopes')} value={scopes} onChange={setScopes}>
              <Group mt="xs">
                {protocols.map((p) => (
                  <Checkbox key={p} value={p} label={t(`security.appPasswords.protocol.${p}`)} />
                ))}
              </Group>
            </Checkbox.Group>
            <Select
              label={t('security.appPasswords.expiry')}
              data={expiries.map((e) => ({ value: e, label: t(`security.appPasswords.expiryChoice.${e}`) }))}
              value={expiry}
              onChange={(v) => setExpiry(v ?? 'never')}
              allowDeselect={false}
              data-testid="app-password-expiry"
            />
            <Textarea
              label={t('security.appPasswords.networks')}
              description={t('security.appPasswords.networksHint')}
              placeholder="192.168.1.0/24"
              autosize
              minRows={1}
              maxLength={1400}
              value={networks}
              onChange={(e) => setNetworks(e.currentTarget.value)}
              data-testid="app-password-networks"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('security.appPasswords.cancel')}
              </Button>
              <Button type="submit" loading={busy} disabled={!name.trim() || scopes.length === 0}>
                {t('security.appPasswords.generate')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
