import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { useFormAction } from '../../../../components/useFormAction.ts';
import { formatTime } from '../../../../format.ts';
import { notify } from '../../../../notify.ts';
import type { Factor } from '../../../../twoFactor.ts';
import { DialogActions } from './DialogActions.tsx';

interface Props {
  factors: Factor[];
  available: boolean;
  rename(factor: Factor): void;
  change(factor: Factor): void;
  unbind(factor: Factor): void;
}

/** The bound security keys and passkeys (X1): name, kind, added, last used, and what can be done with each. */
export function KeyRows({ factors, available, rename, change, unbind }: Props) {
  const { t } = useTranslation();
  return (
    <Table mt="sm" verticalSpacing={6} data-testid="key-list">
      <Table.Tbody>
        {factors.map((f) => (
          <Table.Tr key={f.id} data-testid="key-row">
            <Table.Td>
              <Group gap="xs">
                <Text size="sm" fw={500} data-testid="key-name">
                  {f.label}
                </Text>
                {f.hint && (
                  <Badge size="sm" variant="light" color="blue" data-testid="key-hint">
                    {t(`twoFactor.webauthn.hint.${f.hint}`)}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {t('twoFactor.webauthn.created', { at: formatTime(Date.parse(f.boundAt)) })} ·{' '}
                <span data-testid="key-last-used">{f.lastUsedAt ? t('twoFactor.webauthn.lastUsed', { at: formatTime(Date.parse(f.lastUsedAt)) }) : t('twoFactor.webauthn.neverUsed')}</span>
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Button size="xs" variant="subtle" onClick={() => rename(f)} data-testid="key-rename">
                  {t('twoFactor.webauthn.rename')}
                </Button>
                <Button size="xs" variant="light" disabled={!available} onClick={() => change(f)} data-testid="method-change">
                  {t('twoFactor.change')}
                </Button>
                <Button size="xs" variant="light" color="red" onClick={() => unbind(f)} data-testid="method-unbind">
                  {t('twoFactor.unbind')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** 重命名 a key. */
export function RenameDialog({ factor, onClose, onRenamed }: { factor: Factor; onClose(): void; onRenamed(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(factor.label);
  const { busy, error, onSubmit } = useFormAction(async () => {
    await api.post(`/api/2fa/factors/${encodeURIComponent(factor.id)}/rename`, { name: name.trim() }, { notify: false });
    notify('success', t('twoFactor.webauthn.renamed'));
    onRenamed();
  });
  return (
    <Modal opened onClose={onClose} title={t('twoFactor.webauthn.renameTitle')} centered data-testid="rename-dialog">
      <form onSubmit={onSubmit}>
        <Stack>
          <TextInput label={t('twoFactor.webauthn.name')} maxLength={40} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="rename-name" data-autofocus />
          <DialogActions testId="rename" error={error} busy={busy} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
