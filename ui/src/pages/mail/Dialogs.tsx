import { Button, Group, Kbd, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface Confirm {
  message: string;
  action: string;
  run: () => void;
}

export function ConfirmDialog({ confirm, onClose }: { confirm: Confirm | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={!!confirm} onClose={onClose} title={t('webmail.confirmTitle')} data-testid="confirm-dialog">
      <Stack>
        <Text>{confirm?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('webmail.cancel')}</Button>
          <Button color="red" data-testid="confirm-ok" onClick={() => { confirm?.run(); onClose(); }}>{confirm?.action}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export interface NamePrompt {
  title: string;
  initial: string;
  run: (name: string) => Promise<void>;
}

export function NameDialog({ prompt, onClose }: { prompt: NamePrompt | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [lastPrompt, setLastPrompt] = useState<NamePrompt | null>(null);
  if (prompt !== lastPrompt) {
    setLastPrompt(prompt);
    setName(prompt?.initial ?? '');
    setError(null);
  }
  const submit = async () => {
    if (!prompt || !name.trim()) return;
    try {
      await prompt.run(name.trim());
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Modal opened={!!prompt} onClose={onClose} title={prompt?.title}>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Stack>
          <TextInput label={t('webmail.folder.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} data-autofocus data-testid="folder-name" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('webmail.cancel')}</Button>
            <Button type="submit" data-testid="folder-name-ok">{t('webmail.ok')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export const shortcutKeys = ['c', 'r', 'a', 'f', 'j', 'k', 'e', '#', 's', 'u', '/', '?'];

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('webmail.shortcuts.title')}>
      <Table>
        <Table.Tbody>
          {shortcutKeys.map((k) => (
            <Table.Tr key={k}>
              <Table.Td w={60}><Kbd>{k}</Kbd></Table.Td>
              <Table.Td>{t(`webmail.shortcuts.${k === '#' ? 'hash' : k === '/' ? 'slash' : k === '?' ? 'help' : k}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
