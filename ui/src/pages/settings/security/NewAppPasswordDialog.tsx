import { Alert, Button, Checkbox, CopyButton, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';

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
}

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
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  const close = () => {
    // Forgotten as the dialog closes: the password can never be shown again.
    setCreated(null);
    setName('');
    setScopes([...protocols]);
    onClose();
  };

  const generate = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      setCreated(await api.post<Created>('/api/app-passwords', { name, scopes }));
    } catch {
      // The notification shows the server's reason.
    } finally {
      setBusy(false);
    }
  };

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
        <form onSubmit={(e) => void generate(e)}>
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
